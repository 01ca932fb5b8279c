using System.Net;
using System.Net.Http.Headers;
using VptSp.Tests.Web.Support;

namespace VptSp.Tests.Web.Functional;

/// <summary>The search endpoints sit behind the access token like every other API when the app listens beyond loopback.</summary>
public sealed class SearchTokenTests : IAsyncLifetime
{
    private const string Token = "search-token-0123456789";
    private readonly string _dataDir = VptSpWebFactory.NewDataDirectory();
    private VptSpWebFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new VptSpWebFactory(_dataDir, new ScriptedTrainingEngine(), new Dictionary<string, string?>
        {
            ["urls"] = "http://0.0.0.0:5080",
            ["Security:Token"] = Token,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        VptSpWebFactory.DeleteDataDirectory(_dataDir);
    }

    [Theory]
    [InlineData("POST", "/api/search")]
    [InlineData("GET", "/api/runs/1/gallery")]
    [InlineData("GET", "/api/runs/1/gallery/0/image")]
    [InlineData("GET", "/api/runs/1/failures")]
    [InlineData("GET", "/search")]
    public async Task WithoutTheTokenSearchRequestsGet401AndWithItTheyReachTheEndpoint(string method, string path)
    {
        var http = _factory.CreateClient();
        HttpRequestMessage Request()
        {
            var r = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") r.Content = new MultipartFormDataContent { { new StringContent("1"), "runId" } };
            return r;
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Request())).StatusCode);

        var authorised = Request();
        authorised.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await http.SendAsync(authorised);
        // past the token check: the run does not exist (404), the upload is missing (400) or the page renders (200)
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.OK });
    }
}
