// One call with the official Google Gen AI SDK; prints what the client saw as one JSON line.
// Usage: node genai-call.mjs '{"baseUrl":"http://127.0.0.1:PORT","model":"gemini-2.5-flash","stream":true,"headers":{...}}'
import { GoogleGenAI } from '@google/genai';

const request = JSON.parse(process.argv[2]);
const ai = new GoogleGenAI({
  apiKey: request.apiKey ?? 'gk-test',
  httpOptions: { baseUrl: request.baseUrl, apiVersion: request.apiVersion ?? 'v1beta', headers: request.headers ?? {} },
});
const params = { model: request.model, contents: request.contents ?? 'Say hello.' };
const result = { chunks: 0, text: '', thoughts: '' };
const read = (response) => {
  for (const part of response.candidates?.[0]?.content?.parts ?? []) {
    if (part.thought) result.thoughts += part.text ?? '';
    else if (typeof part.text === 'string') result.text += part.text;
    if (part.functionCall) result.functionCall = part.functionCall;
  }
  result.responseId = response.responseId ?? result.responseId;
  result.modelVersion = response.modelVersion ?? result.modelVersion;
  result.finishReason = response.candidates?.[0]?.finishReason ?? result.finishReason;
  result.blockReason = response.promptFeedback?.blockReason ?? result.blockReason;
  result.usage = response.usageMetadata ?? result.usage;
};
try {
  if (request.stream) {
    for await (const chunk of await ai.models.generateContentStream(params)) {
      result.chunks++;
      read(chunk);
    }
  } else {
    read(await ai.models.generateContent(params));
  }
} catch (error) {
  result.error = { name: error.name, status: error.status ?? null, message: String(error.message) };
}
process.stdout.write(JSON.stringify(result) + '\n');
