using VptSp.Core.Backbones.Hub;
using VptSp.Core.Diagnostics;
using VptSp.Core.Inference;
using VptSp.Tests.Support.Hub;
using static TorchSharp.torch;

namespace VptSp.Tests.Core.Backbones;

/// <summary>Downloads from a real loopback Hub (302 to a file host, Range, 401, 404, cut and corrupt bodies) into a hub-layout cache.</summary>
public sealed class HubDownloadTests : IDisposable
{
    private readonly HubFixture _f = new();

    public void Dispose() => _f.Dispose();

    private Task<PretrainedWeights> Fetch(HubSettings? settings = null) =>
        PretrainedBackbones.FetchAsync(HubFixture.Name, settings ?? _f.Settings());

    [Fact]
    public async Task AColdCacheDownloadGivesTheSameFeaturesAsTheFileLoadedDirectly()
    {
        var weights = await Fetch();

        Assert.Equal(HubFixture.Repo, weights.Repo);
        Assert.Equal(LoopbackHub.Commit, weights.Commit);
        Assert.Equal(_f.Sha, weights.Sha256);
        // huggingface_hub's layout: the blob by etag, a relative link from the snapshot, refs/main = the commit
        Assert.Equal(_f.Bytes, await File.ReadAllBytesAsync(_f.Cache.Blob(_f.Sha)));
        Assert.Equal(_f.Cache.Snapshot(LoopbackHub.Commit, "model.safetensors"), weights.Weights);
        Assert.Equal(Path.Combine("..", "..", "blobs", _f.Sha), new FileInfo(weights.Weights).LinkTarget);
        Assert.Equal(LoopbackHub.Commit, await File.ReadAllTextAsync(_f.Cache.Ref("main")));
        Assert.Empty(Directory.GetFiles(_f.Cache.BlobsDir, "*.incomplete"));
        Assert.True(File.Exists(_f.Cache.Lock(_f.Sha)));

        using var input = rand(2, 3, 32, 32, generator: new Generator().manual_seed(5));
        using var fromHub = new BackboneEmbedder("vit_test_patch8_32", weights.Weights);
        using var direct = new BackboneEmbedder("vit_test_patch8_32", _f.Source);
        using var a = fromHub.Embed(input);
        using var b = direct.Embed(input);
        Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        // preprocessing comes from config.json's pretrained_cfg, not the preset's ImageNet statistics
        Assert.Equal([0.5f, 0.5f, 0.5f], fromHub.Preprocessing.Mean);
        Assert.Equal([0.25f, 0.25f, 0.25f], fromHub.Preprocessing.Std);
        Assert.Equal(VptSp.Core.Modeling.VitPresets.ImageNetMean, direct.Preprocessing.Mean);
    }

    [Fact]
    public async Task ASecondFetchOfflineUsesTheCacheWithoutARequest()
    {
        await Fetch();
        var before = _f.Hub.Requests.Count;
        var again = await Fetch(_f.Settings(offline: true));
        Assert.Equal(_f.Sha, again.Sha256);
        Assert.Equal(before, _f.Hub.Requests.Count);
    }

    [Fact]
    public async Task ACacheLaidOutByHuggingfaceHubIsRead()
    {
        // as huggingface_hub writes it: blobs/<etag>, snapshots/<commit>/<file> → ../../blobs/<etag>, refs/main without newline
        const string commit = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
        var repoDir = Path.Combine(_f.CacheDir, "models--timm--vit_test_patch8_32.hubtest");
        Directory.CreateDirectory(Path.Combine(repoDir, "blobs"));
        Directory.CreateDirectory(Path.Combine(repoDir, "refs"));
        var snapshot = Directory.CreateDirectory(Path.Combine(repoDir, "snapshots", commit)).FullName;
        await File.WriteAllBytesAsync(Path.Combine(repoDir, "blobs", _f.Sha), _f.Bytes);
        const string configEtag = "0123456789abcdef0123456789abcdef01234567";
        await File.WriteAllTextAsync(Path.Combine(repoDir, "blobs", configEtag), HubFixture.ConfigJson);
        File.CreateSymbolicLink(Path.Combine(snapshot, "model.safetensors"), $"../../blobs/{_f.Sha}");
        File.CreateSymbolicLink(Path.Combine(snapshot, "config.json"), $"../../blobs/{configEtag}");
        await File.WriteAllTextAsync(Path.Combine(repoDir, "refs", "main"), commit);

        var weights = await Fetch(_f.Settings(offline: true));

        Assert.Equal(Path.Combine(snapshot, "model.safetensors"), weights.Weights);
        Assert.Equal(commit, weights.Commit);
        Assert.Equal(_f.Sha, weights.Sha256);
        Assert.Empty(_f.Hub.Requests);
    }

    [Fact]
    public async Task AnInterruptedDownloadResumesWithARangeRequest()
    {
        _f.Hub.CutShort[_f.Sha] = 1;
        var weights = await Fetch();
        Assert.Equal(_f.Bytes, await File.ReadAllBytesAsync(weights.Weights));
        var gets = _f.Hub.Requests.Where(r => r.Server == "files" && r.Method == "GET").ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Range);
        Assert.Equal($"bytes={_f.Bytes.Length / 2}-", gets[1].Range);
    }

    [Fact]
    public async Task ABodyWithAWrongByteIsDownloadedAgainOnce()
    {
        _f.Hub.Corrupt[_f.Sha] = 1;
        var weights = await Fetch();
        Assert.Equal(_f.Sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(weights.Weights))));
        Assert.Equal(2, _f.Hub.Count("files", "GET", _f.Sha));
    }

    [Fact]
    public async Task ABodyCorruptTwiceIsDeletedAndNamed()
    {
        _f.Hub.Corrupt[_f.Sha] = 2;
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Fetch());
        Assert.Contains("is corrupt", ex.Message);
        Assert.Contains(HubFixture.Repo, ex.Message);
        Assert.False(File.Exists(_f.Cache.Blob(_f.Sha)));
        Assert.False(File.Exists(_f.Cache.Incomplete(_f.Sha)));
    }

    [Fact]
    public async Task TwoConcurrentPullsDownloadTheFileOnceAndBothSucceed()
    {
        _f.Hub.ChunkDelay = TimeSpan.FromMilliseconds(15); // the first download lasts long enough for the second to wait on the lock
        var pulls = Enumerable.Range(0, 2).Select(_ => Task.Run(() => Fetch(_f.Settings()))).ToArray();
        var results = await Task.WhenAll(pulls);
        Assert.All(results, r => Assert.Equal(_f.Sha, r.Sha256));
        Assert.Equal(2, _f.Hub.Count("hub", "HEAD", "model.safetensors")); // both asked the Hub …
        Assert.Equal(1, _f.Hub.Count("files", "GET", _f.Sha));            // … one downloaded
    }

    [Fact]
    public async Task AGatedRepoWithoutATokenSaysToSetHfToken()
    {
        _f.Hub.Gated.Add(HubFixture.Repo);
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Fetch());
        Assert.Contains("gated", ex.Message);
        Assert.Contains("set HF_TOKEN", ex.Message);
        Assert.Contains(HubFixture.Repo, ex.Message);

        var wrong = await Assert.ThrowsAsync<UserFacingException>(() => Fetch(_f.Settings(token: "hf_wrong")));
        Assert.Contains("refused the token in HF_TOKEN", wrong.Message);
    }

    [Fact]
    public async Task AGatedRepoWithTheTokenDownloadsAndTheFileHostNeverSeesTheToken()
    {
        _f.Hub.Gated.Add(HubFixture.Repo);
        var weights = await Fetch(_f.Settings(token: _f.Hub.Token));
        Assert.Equal(_f.Sha, weights.Sha256);
        Assert.All(_f.Hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal("Bearer " + _f.Hub.Token, r.Authorization));
        Assert.All(_f.Hub.Requests.Where(r => r.Server == "files"), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task AnUnknownTagIsNamedWithTheKnownNames()
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() =>
            PretrainedBackbones.FetchAsync("vit_test_patch8_32.no_such_tag", _f.Settings()));
        Assert.Contains("timm/vit_test_patch8_32.no_such_tag", ex.Message);
        Assert.Contains("no such model or pretrained tag", ex.Message);
        Assert.Contains("vit_small_patch16_224.augreg_in21k", ex.Message);
    }

    [Fact]
    public async Task OfflineAndNotCachedNamesTheRepoTheCacheAndThePullCommand()
    {
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Fetch(_f.Settings(offline: true)));
        Assert.Contains(HubFixture.Repo, ex.Message);
        Assert.Contains(_f.CacheDir, ex.Message);
        Assert.Contains($"vptsp backbones pull {HubFixture.Name}", ex.Message);
        Assert.Empty(_f.Hub.Requests);
    }

    [Fact]
    public async Task ABodyCutShortEveryTimeIsDeletedAndNamed()
    {
        _f.Hub.CutShort[_f.Sha] = 10;
        var ex = await Assert.ThrowsAsync<UserFacingException>(() => Fetch());
        Assert.Contains("cut short", ex.Message);
        Assert.False(File.Exists(_f.Cache.Incomplete(_f.Sha)));
        Assert.False(File.Exists(_f.Cache.Blob(_f.Sha)));
    }
}
