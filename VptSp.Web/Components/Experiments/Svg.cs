using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Components;

namespace VptSp.Web.Components.Experiments;

/// <summary>SVG bits Razor cannot write inline (it reserves &lt;text&gt; for its own use).</summary>
public static class Svg
{
    public static MarkupString Text(double x, double y, string anchor, string cssClass, string content) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"{anchor}\" class=\"{cssClass}\">{WebUtility.HtmlEncode(content)}</text>"));
}
