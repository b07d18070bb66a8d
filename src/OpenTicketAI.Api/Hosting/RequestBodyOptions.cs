using System.ComponentModel.DataAnnotations;

namespace OpenTicketAI.Api.Hosting;

/// <summary>
/// The largest request body every endpoint accepts (Kestrel's limit too; training uploads declare their own). It lives in
/// section <c>Predict</c>, where it has always been configured, but applies to the whole host.
/// </summary>
public sealed class RequestBodyOptions
{
    public const string SectionName = "Predict";

    /// <summary>Largest request body in bytes; larger requests get 413.</summary>
    [Range(1_024, 1L << 31, ErrorMessage = "Predict:MaxRequestBodyBytes must be between 1024 and 2147483648.")]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;
}
