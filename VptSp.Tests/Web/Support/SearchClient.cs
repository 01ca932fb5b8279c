using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace VptSp.Tests.Web.Support;

/// <summary>POST /api/search helpers for tests.</summary>
public static class SearchClient
{
    public static Task<HttpResponseMessage> SearchAsync(this HttpClient http, long runId, byte[] image, string fileName = "query.png", int? k = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(runId.ToString()), "runId" },
        };
        if (k is { } kk) form.Add(new StringContent(kk.ToString()), "k");
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        return http.PostAsync("/api/search", form);
    }

    public static async Task<JsonObject> SearchOkAsync(this HttpClient http, long runId, byte[] image, int? k = null)
    {
        var response = await http.SearchAsync(runId, image, k: k);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/search → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static int[] Indices(JsonObject search) =>
        search["results"]!.AsArray().Select(r => r!["galleryIndex"]!.GetValue<int>()).ToArray();

    public static float[] Scores(JsonObject search) =>
        search["results"]!.AsArray().Select(r => r!["score"]!.GetValue<float>()).ToArray();
}
