using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VptSp.Core.Training;

namespace VptSp.Tests.Web.Support;

/// <summary>The web app over a real SQLite file in a data directory of its own, training with a <see cref="ScriptedTrainingEngine"/> (null: the app's own registration).</summary>
public sealed class VptSpWebFactory(string dataDirectory, ScriptedTrainingEngine? engine, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory;
    public ScriptedTrainingEngine? Engine { get; } = engine;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        // the path policy admits datasets under registered roots and backbones under known folders: the tests' own ones
        builder.UseSetting("Storage:DataRoots:synthetic", VptSp.Tests.Support.SyntheticDataset.Folder);
        builder.UseSetting("Storage:BackboneRoots:0", VptSp.Tests.Support.TestPaths.FixturesDir);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        if (Engine is { } engine)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<ITrainingEngine>();
                services.AddSingleton<ITrainingEngine>(engine);
            });
        }
    }

    public static string NewDataDirectory() =>
        Directory.CreateTempSubdirectory("vptsp-web-").FullName;

    public static void DeleteDataDirectory(string dir)
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
