// One streaming Chat Completions call with the official OpenAI JavaScript SDK; prints what the client saw as one JSON line.
// Usage: node openai-chat-stream.mjs '{"baseUrl":"http://127.0.0.1:PORT/v1","model":"gpt-4o","headers":{...},"streamOptions":null}'
import OpenAI from 'openai';

const request = JSON.parse(process.argv[2]);
const client = new OpenAI({ apiKey: request.apiKey ?? 'sk-test', baseURL: request.baseUrl, defaultHeaders: request.headers ?? {}, maxRetries: 0 });
const result = { chunks: 0, text: '', finishReason: null, usageChunks: 0, emptyChoiceChunks: 0, usageMembers: 0 };
try {
  const params = { model: request.model, messages: [{ role: 'user', content: 'Say hello.' }], stream: true };
  if (request.streamOptions) params.stream_options = request.streamOptions;
  const stream = await client.chat.completions.create(params);
  for await (const chunk of stream) {
    result.chunks++;
    if ('usage' in chunk) result.usageMembers++;
    if (chunk.usage) result.usageChunks++;
    if (chunk.choices.length === 0) result.emptyChoiceChunks++;
    for (const choice of chunk.choices) {
      result.text += choice.delta?.content ?? '';
      result.finishReason = choice.finish_reason ?? result.finishReason;
    }
  }
} catch (error) {
  result.error = { name: error.constructor?.name ?? error.name, status: error.status ?? null, message: String(error.message) };
}
process.stdout.write(JSON.stringify(result) + '\n');
