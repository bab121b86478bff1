using System.Text;
using Glassbox.Gateway.Dialects;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>What a Gemini request says about the call: the model and stream mode from the path, the rest from the body.</summary>
public sealed class GeminiRequestReaderTests
{
    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini-2.5-flash", true)]
    [InlineData("/v1beta/models/gemini-2.5-flash:generateContent", "gemini-2.5-flash", false)]
    [InlineData("/v1/models/gemini-2.0-flash-001:generateContent", "gemini-2.0-flash-001", false)]
    [InlineData("/v1beta/tunedModels/my-tuned-7:streamGenerateContent", "tunedModels/my-tuned-7", true)]
    [InlineData("/team/v1beta/models/gemini-2.5-pro:generateContent", "gemini-2.5-pro", false)]
    public void ReadRequest_Path_ModelAndStreamMode(string path, string model, bool stream)
    {
        var facts = ApiDialects.Gemini.ReadRequest("""{"contents":[]}"""u8, path, captureInput: false)!;

        Assert.Equal(model, facts.Model);
        Assert.Equal(stream, facts.Stream);
    }

    [Fact]
    public void ReadRequest_GenerationConfigContentsAndTools_AllRead()
    {
        const string body = """
            {"contents": [{"role": "user", "parts": [{"text": "a"}]}, {"role": "model", "parts": [{"text": "b"}]}, {"role": "user", "parts": [{"text": "c"}]}],
             "systemInstruction": {"parts": [{"text": "be brief"}]},
             "tools": [{"functionDeclarations": [{"name": "f"}, {"name": "g"}]}, {"googleSearch": {}}],
             "generationConfig": {"maxOutputTokens": 512, "temperature": 0.2, "topP": 0.8, "topK": 20, "stopSequences": ["x", "y"],
                                  "thinkingConfig": {"thinkingBudget": 100}},
             "stream": true}
            """;

        var facts = ApiDialects.Gemini.ReadRequest(Encoding.UTF8.GetBytes(body), "/v1beta/models/m:generateContent", captureInput: false)!;

        Assert.Equal(3, facts.MessageCount);
        Assert.Equal(3, facts.ToolCount); // two function declarations and one built-in tool
        Assert.Equal(512, facts.MaxTokens);
        Assert.Equal(0.2, facts.Temperature);
        Assert.Equal(0.8, facts.TopP);
        Assert.Equal(20, facts.TopK);
        Assert.Equal(["x", "y"], facts.StopSequences!);
        Assert.False(facts.Stream); // the path decides, not a body field
        Assert.Null(facts.CapturedInput);
    }

    [Fact]
    public void ReadRequest_ContentCaptureOn_ContentsAsSent()
    {
        var facts = ApiDialects.Gemini.ReadRequest("""{"contents":[{"parts":[{"text":"secret"}]}]}"""u8, "/v1beta/models/m:generateContent", captureInput: true)!;

        Assert.Equal("""[{"parts":[{"text":"secret"}]}]""", facts.CapturedInput);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"contents\":[")]
    [InlineData("not json")]
    [InlineData("{} {}")]
    public void ReadRequest_NotOneJsonObject_Null(string body)
    {
        Assert.Null(ApiDialects.Gemini.ReadRequest(Encoding.UTF8.GetBytes(body), "/v1beta/models/m:generateContent", captureInput: false));
    }
}
