using Microsoft.AspNetCore.Http.HttpResults;
using VptSp.Core.Training;
using VptSp.Runs;
using VptSp.Runs.DataRoots;

namespace VptSp.Web.Apis;

/// <summary>/api/presets (the configs/ presets) and /api/datasets (registered data roots and what they contain).</summary>
public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Catalog");
        api.MapGet("/presets", ListPresets).WithName("ListPresets");
        api.MapGet("/datasets", ListDatasets).WithName("ListDatasets");
        return app;
    }

    private static Ok<List<PresetResponse>> ListPresets(ConfigPresets presets) =>
        TypedResults.Ok(presets.Names.Select(name =>
        {
            try
            {
                var c = presets.Load(name);
                return new PresetResponse(name, c.Dataset, VptSp.Core.Runtime.EnumNames.Name(c.Method), c.NEpochs, null);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
            {
                return new PresetResponse(name, null, null, null, ex.Message);
            }
        }).ToList());

    private static Ok<IReadOnlyList<DataRootInfo>> ListDatasets(IDataRootService roots) => TypedResults.Ok(roots.List());
}
