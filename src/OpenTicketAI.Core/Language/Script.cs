namespace OpenTicketAI.Core.Language;

/// <summary>The writing systems the identifier tells apart before it compares languages.</summary>
internal enum Script
{
    Other,
    Latin,
    Arabic,
    Devanagari,
    Cyrillic,
    Greek,
    Hebrew,
    Cjk,
}

internal static class Scripts
{
    public static Script Of(char c) => c switch
    {
        <= '\u024F' when char.IsLetter(c) => Script.Latin,
        >= '\u1E00' and <= '\u1EFF' => Script.Latin,
        >= '\u0370' and <= '\u03FF' => Script.Greek,
        >= '\u0400' and <= '\u052F' => Script.Cyrillic,
        >= '\u0590' and <= '\u05FF' => Script.Hebrew,
        >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' => Script.Arabic,
        >= '\u0900' and <= '\u097F' => Script.Devanagari,
        >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\uAC00' and <= '\uD7AF' => Script.Cjk,
        _ => Script.Other,
    };
}
