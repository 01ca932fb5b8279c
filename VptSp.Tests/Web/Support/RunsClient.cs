using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VptSp.Tests.Web.Support;

/// <summary>Thin helpers over the REST API for tests.</summary>
public static class RunsClient
{
    public static async Task<JsonObject> SubmitAsync(this HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/runs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/runs → {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<long> SubmitDemoAsync(this HttpClient http, int epochs, string? name = null)
    {
        var result = await http.SubmitAsync(new { config = "emoji_vptsp_g", overrides = new Dictionary<string, object> { ["n_epochs"] = epochs }, name });
        return result["id"]!.GetValue<long>();
    }

    public static async Task<JsonObject> GetRunAsync(this HttpClient http, long id) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/runs/{id}"))!.AsObject();

    public static async Task<string> StatusOfAsync(this HttpClient http, long id) =>
        (await http.GetRunAsync(id))["status"]!.GetValue<string>();

    public static Task<string> WaitForStatusAsync(this HttpClient http, long id, params string[] statuses) =>
        Eventually.UntilAsync(() => http.StatusOfAsync(id), statuses.Contains, $"run {id} to become {string.Join(" or ", statuses)}");

    public static async Task<JsonObject> GetMetricsAsync(this HttpClient http, long id) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/runs/{id}/metrics"))!.AsObject();

    /// <summary>The run's system samples (GET /api/runs/{id}/system).</summary>
    public static async Task<JsonArray> GetSystemSamplesAsync(this HttpClient http, long id) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/runs/{id}/system"))!.AsArray();

    public static int[] StepNumbers(JsonObject metrics) =>
        metrics["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<int>()).ToArray();

    public static int[] EpochNumbers(JsonObject metrics) =>
        metrics["epochs"]!.AsArray().Select(s => s!["epoch"]!.GetValue<int>()).ToArray();

    public static async Task<JsonDocument> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
