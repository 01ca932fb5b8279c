using VptSp.Web.Options;
using VptSp.Web.Services.Retrieval;

namespace VptSp.Web.Extensions;

public static class RetrievalRegistration
{
    /// <summary>Search options (section "Search") and the <see cref="RetrievalService"/> and <see cref="SearchService"/> singletons.</summary>
    public static WebApplicationBuilder AddRetrieval(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RetrievalService>();
        builder.Services.AddSingleton<SearchService>();
        return builder;
    }
}
