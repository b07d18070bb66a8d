using System.Globalization;
using System.Net;
using System.Text;

namespace OpenTicketAI.Training.Evaluation;

/// <summary>Inline SVG charts for the HTML report: a confusion-matrix heatmap and a reliability diagram.</summary>
internal static class ReportSvg
{
    private const int MaxLabelChars = 28;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Rows = true, columns = predicted; colour by the row-normalised share (diagonal blue, errors red), counts in cells.</summary>
    public static string ConfusionMatrix(string head, IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<int>> matrix)
    {
        var n = labels.Count;
        var cell = Math.Clamp(720 / Math.Max(n, 1), 18, 44);
        var font = Math.Clamp(cell * 0.4, 8, 13);
        var labelFont = n > 30 ? 10.5 : 12;
        var labelSpace = (int)(Math.Min(MaxLabelChars, labels.Select(l => l.Length).DefaultIfEmpty(1).Max()) * labelFont * 0.62) + 14;
        var (left, top) = (labelSpace + 22, labelSpace + 28);
        var (width, height) = (left + (n * cell) + 8, top + (n * cell) + 8);

        var svg = new StringBuilder();
        svg.Append(Inv, $"""<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Confusion matrix of {Encode(head)}">""");
        svg.Append(Inv, $"""<text class="axis" x="{left + (n * cell / 2)}" y="12" text-anchor="middle">predicted →</text>""");
        svg.Append(Inv, $"""<text class="axis" transform="translate(12,{top + (n * cell / 2)}) rotate(-90)" text-anchor="middle">true →</text>""");
        for (var i = 0; i < n; i++)
        {
            var middle = (i * cell) + (cell / 2.0);
            svg.Append(Inv, $"""<text class="tick" x="{left - 6}" y="{top + middle:0.#}" text-anchor="end" dominant-baseline="central" font-size="{labelFont}"><title>{Encode(labels[i])}</title>{Encode(Shorten(labels[i]))}</text>""");
            svg.Append(Inv, $"""<text class="tick" transform="translate({left + middle:0.#},{top - 6}) rotate(-90)" dominant-baseline="central" font-size="{labelFont}"><title>{Encode(labels[i])}</title>{Encode(Shorten(labels[i]))}</text>""");
        }

        for (var r = 0; r < n; r++)
        {
            var rowTotal = matrix[r].Sum();
            for (var c = 0; c < n; c++)
            {
                var count = matrix[r][c];
                var share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                var (x, y) = (left + (c * cell), top + (r * cell));
                var (fill, ink) = CellColour(share, r == c, count);
                var rect = string.Create(Inv, $"""<rect x="{x}" y="{y}" width="{cell - 1}" height="{cell - 1}" rx="2" fill="{fill}"/>""");
                if (count == 0)
                {
                    svg.Append(rect);
                    continue;
                }

                svg.Append(Inv, $"""<g><title>true {Encode(labels[r])} → predicted {Encode(labels[c])}: {count} ({share * 100:0.0}% of the row)</title>{rect}""");
                svg.Append(Inv, $"""<text x="{x + ((cell - 1) / 2.0):0.#}" y="{y + ((cell - 1) / 2.0):0.#}" text-anchor="middle" dominant-baseline="central" font-size="{font:0.#}" fill="{ink}">{count}</text></g>""");
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Accuracy per confidence bin as bars, the gap to the bin's mean confidence in red, perfect calibration dashed.</summary>
    public static string Reliability(string head, IReadOnlyList<ReliabilityBin> bins)
    {
        const int X0 = 46, Y0 = 14, W = 300, H = 240;
        var svg = new StringBuilder();
        svg.Append(Inv, $"""<svg xmlns="http://www.w3.org/2000/svg" class="reliability" width="{X0 + W + 16}" height="{Y0 + H + 44}" viewBox="0 0 {X0 + W + 16} {Y0 + H + 44}" role="img" aria-label="Reliability diagram of {Encode(head)}">""");
        for (var t = 0; t <= 5; t++)
        {
            var v = t / 5.0;
            var y = Y0 + H - (v * H);
            var x = X0 + (v * W);
            svg.Append(Inv, $"""<line x1="{X0}" y1="{y:0.#}" x2="{X0 + W}" y2="{y:0.#}" class="grid"/>""");
            svg.Append(Inv, $"""<text class="tick" x="{X0 - 6}" y="{y:0.#}" text-anchor="end" dominant-baseline="central">{v:0.0}</text>""");
            svg.Append(Inv, $"""<text class="tick" x="{x:0.#}" y="{Y0 + H + 14}" text-anchor="middle">{v:0.0}</text>""");
        }

        var maxCount = Math.Max(1, bins.Select(b => b.Count).DefaultIfEmpty(0).Max());
        foreach (var bin in bins.Where(b => b.Count > 0))
        {
            var x = X0 + (bin.Lower * W) + 1;
            var w = ((bin.Upper - bin.Lower) * W) - 2;
            var opacity = 0.35 + (0.65 * bin.Count / maxCount);
            var (accY, confY) = (Y0 + H - (bin.Accuracy * H), Y0 + H - (bin.MeanConfidence * H));
            svg.Append(Inv, $"""<g><title>confidence {bin.Lower:0.00}–{bin.Upper:0.00}: {bin.Count} rows, mean confidence {bin.MeanConfidence:0.000}, accuracy {bin.Accuracy:0.000}</title>""");
            svg.Append(Inv, $"""<rect x="{x:0.##}" y="{accY:0.##}" width="{w:0.##}" height="{Y0 + H - accY:0.##}" fill="#2563eb" fill-opacity="{opacity:0.##}"/>""");
            svg.Append(Inv, $"""<rect x="{x:0.##}" y="{Math.Min(accY, confY):0.##}" width="{w:0.##}" height="{Math.Abs(accY - confY):0.##}" fill="#ef4444" fill-opacity="0.35"/>""");
            svg.Append("</g>");
        }

        svg.Append(Inv, $"""<line x1="{X0}" y1="{Y0 + H}" x2="{X0 + W}" y2="{Y0}" class="diagonal"/>""");
        svg.Append(Inv, $"""<line x1="{X0}" y1="{Y0 + H}" x2="{X0 + W}" y2="{Y0 + H}" class="axisline"/><line x1="{X0}" y1="{Y0}" x2="{X0}" y2="{Y0 + H}" class="axisline"/>""");
        svg.Append(Inv, $"""<text class="axis" x="{X0 + (W / 2)}" y="{Y0 + H + 34}" text-anchor="middle">top-label confidence</text>""");
        svg.Append(Inv, $"""<text class="axis" transform="translate(12,{Y0 + (H / 2)}) rotate(-90)" text-anchor="middle">accuracy</text>""");
        return svg.Append("</svg>").ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Shorten(string label) => label.Length <= MaxLabelChars ? label : label[..(MaxLabelChars - 1)] + "…";

    private static (string Fill, string Ink) CellColour(double share, bool diagonal, int count)
    {
        if (count == 0)
        {
            return ("#f1f5f9", "#0f172a");
        }

        // sqrt lifts small shares so that rare confusions stay visible.
        var t = Math.Sqrt(share);
        var (from, to) = diagonal ? ((219, 234, 254), (30, 64, 175)) : ((254, 226, 226), (185, 28, 28));
        var r = (int)Math.Round(from.Item1 + ((to.Item1 - from.Item1) * t));
        var g = (int)Math.Round(from.Item2 + ((to.Item2 - from.Item2) * t));
        var b = (int)Math.Round(from.Item3 + ((to.Item3 - from.Item3) * t));
        return (string.Create(Inv, $"#{r:x2}{g:x2}{b:x2}"), t > 0.6 ? "#ffffff" : "#0f172a");
    }
}
