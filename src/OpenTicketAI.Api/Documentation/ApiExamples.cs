using System.Text.Json.Nodes;

namespace OpenTicketAI.Api.Documentation;

/// <summary>The examples Swagger UI shows; the response mirrors what the default model answers for the request.</summary>
public static class ApiExamples
{
    public const string Subject = "Cannot access my account";

    public const string Body = "I have been unable to log in since yesterday. The password reset email never arrives and I have an urgent deadline.";

    public static JsonNode PredictRequest() => new JsonObject
    {
        ["subject"] = Subject,
        ["body"] = Body,
        ["id"] = "TCK-10234",
        ["language"] = "en",
    };

    public static JsonNode BatchPredictRequest() => new JsonObject
    {
        ["tickets"] = new JsonArray(
            PredictRequest(),
            new JsonObject
            {
                ["subject"] = "Invoice charged twice",
                ["body"] = "My credit card was billed twice for the March invoice. Please refund the duplicate payment.",
                ["id"] = "TCK-10235",
            }),
    };

    public static JsonNode PredictResponse() => new JsonObject
    {
        ["predictions"] = new JsonObject
        {
            ["queue"] = "Technical Support",
            ["priority"] = "High",
            ["language"] = "en",
            ["sentiment"] = "Negative",
            ["tags"] = new JsonArray("login_issue", "password_reset"),
        },
        ["confidence"] = new JsonObject { ["queue"] = 0.91, ["priority"] = 0.74, ["language"] = 0.99, ["sentiment"] = 0.88, ["tags"] = 0.8 },
        ["needsReview"] = new JsonObject { ["queue"] = false, ["priority"] = true, ["language"] = false, ["sentiment"] = false, ["tags"] = false },
        ["alternatives"] = new JsonObject
        {
            ["queue"] = Scores(("Technical Support", 0.91), ("IT Support", 0.05), ("Customer Service", 0.02)),
            ["priority"] = Scores(("High", 0.74), ("Medium", 0.21), ("Low", 0.05)),
            ["language"] = Scores(("en", 0.99), ("de", 0.01)),
            ["sentiment"] = Scores(("Negative", 0.88), ("Neutral", 0.1), ("Positive", 0.02)),
            ["tags"] = Scores(("login_issue", 0.93), ("password_reset", 0.8), ("email", 0.31)),
        },
        ["tagScores"] = new JsonObject { ["login_issue"] = 0.93, ["password_reset"] = 0.8, ["email"] = 0.31 },
        ["model"] = new JsonObject { ["name"] = "default", ["version"] = "2025.11.26-1" },
        ["id"] = "TCK-10234",
        ["truncated"] = false,
    };

    public static JsonNode FeedbackRequest() => new JsonObject
    {
        ["ticketId"] = "TCK-10234",
        ["source"] = "api",
        ["head"] = "queue",
        ["label"] = "IT Support",
        ["actor"] = "agent.maria@example.com",
        ["at"] = "2025-11-26T10:42:00Z",
    };

    public static JsonNode FeedbackOutcome() => new JsonObject
    {
        ["stored"] = true,
        ["predictedLabel"] = "Technical Support",
        ["isCorrection"] = true,
    };

    public static JsonNode KpiReport()
    {
        JsonObject Figures(string? version, long predictions, long autoApplied, double accuracy, double macroF1, long judged, long correct, long billingMisrouted) => new()
        {
            ["model"] = "default",
            ["modelVersion"] = version,
            ["predictions"] = predictions,
            ["autoApplied"] = autoApplied,
            ["sentToReview"] = predictions - autoApplied,
            ["autoAppliedShare"] = Math.Round((double)autoApplied / predictions, 4),
            ["heads"] = new JsonArray(
                new JsonObject { ["head"] = "priority", ["judged"] = judged / 2, ["correct"] = correct / 2, ["accuracy"] = 0.5, ["macroF1"] = 0.4444 },
                new JsonObject { ["head"] = "queue", ["judged"] = judged, ["correct"] = correct, ["accuracy"] = accuracy, ["macroF1"] = macroF1 }),
            ["queues"] = new JsonArray(
                new JsonObject { ["queue"] = "Billing and Payments", ["routed"] = predictions / 3, ["misrouted"] = billingMisrouted, ["rate"] = Math.Round((double)billingMisrouted / (predictions / 3), 4) },
                new JsonObject { ["queue"] = "Technical Support", ["routed"] = predictions - (predictions / 3), ["misrouted"] = 0, ["rate"] = 0.0 }),
            ["medianTimeToFirstResponseSeconds"] = 5400.0,
            ["medianResolutionSeconds"] = 86400.0,
        };

        return new JsonObject
        {
            ["from"] = "2025-11-24T00:00:00+00:00",
            ["to"] = "2025-11-26T00:00:00+00:00",
            ["model"] = "default",
            ["overall"] = Figures(null, 1200, 900, 0.8, 0.7612, 40, 32, 6),
            ["versions"] = new JsonArray(Figures("2025.11.01-1", 600, 420, 0.75, 0.7, 20, 15, 4), Figures("2025.11.26-1", 600, 480, 0.85, 0.8123, 20, 17, 2)),
            ["series"] = new JsonArray(
                new JsonObject { ["start"] = "2025-11-24T00:00:00+00:00", ["predictions"] = 600, ["autoApplied"] = 420, ["corrections"] = 5, ["queueAccuracy"] = 0.75, ["misrouteRate"] = 0.0083, ["medianTimeToFirstResponseSeconds"] = 6000.0 },
                new JsonObject { ["start"] = "2025-11-25T00:00:00+00:00", ["predictions"] = 600, ["autoApplied"] = 480, ["corrections"] = 3, ["queueAccuracy"] = 0.85, ["misrouteRate"] = 0.0033, ["medianTimeToFirstResponseSeconds"] = 4800.0 }),
        };
    }

    public static JsonNode BatchPredictResponse() => new JsonObject { ["results"] = new JsonArray(PredictResponse()) };

    /// <param name="path">The operation's relative path (<c>feedback</c>, <c>models/{name}/predict</c>), for examples that differ per endpoint.</param>
    public static JsonNode Problem(int status, string path = "") => status switch
    {
        StatusCodes.Status404NotFound when path.StartsWith("feedback", StringComparison.Ordinal) => ProblemNode(404, "Ticket not found.", "No prediction is stored for ticketId 'TCK-99999' (source 'api'). Feedback needs a ticket classified with an id, e.g. POST /predict with \"id\": \"TCK-99999\".", new JsonObject { ["ticketId"] = "TCK-99999", ["source"] = "api" }, errorsKey: null, instance: "/feedback"),
        StatusCodes.Status400BadRequest when path.StartsWith("feedback", StringComparison.Ordinal) => ProblemNode(400, "The request is invalid.", "label: 'Astrology' is not a label of head 'queue' of model default 2025.11.26-1; its labels are Billing and Payments, IT Support, Technical Support.", new JsonObject
        {
            ["label"] = new JsonArray("'Astrology' is not a label of head 'queue' of model default 2025.11.26-1; its labels are Billing and Payments, IT Support, Technical Support."),
        }, instance: "/feedback"),
        StatusCodes.Status400BadRequest when path.StartsWith("kpis", StringComparison.Ordinal) => ProblemNode(400, "The request is invalid.", "bucket: bucket must be at least 1 minute.", new JsonObject
        {
            ["bucket"] = new JsonArray("bucket must be at least 1 minute."),
        }, instance: "/kpis"),
        StatusCodes.Status400BadRequest => ProblemNode(400, "The request is invalid.", "subject: Either subject or body must contain text; both are empty.", new JsonObject
        {
            ["subject"] = new JsonArray("Either subject or body must contain text; both are empty."),
            ["body"] = new JsonArray("Either subject or body must contain text; both are empty."),
        }),
        StatusCodes.Status401Unauthorized => ProblemNode(401, "An API key is required.", "POST /predict needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."),
        StatusCodes.Status403Forbidden => ProblemNode(403, "The API key lacks a required scope.", "Client 'zammad' may not call POST /models/default/reload: it needs the scope 'admin'."),
        StatusCodes.Status429TooManyRequests => ProblemNode(429, "Too many requests.", "This client may send 100 requests per 00:00:01 with bursts of 200 (Limits:RateLimit); retry after 1 s."),
        StatusCodes.Status504GatewayTimeout => ProblemNode(504, "The request timed out.", "The request did not finish within 00:00:30 (Limits:RequestTimeout)."),
        StatusCodes.Status404NotFound => ProblemNode(404, "Model not found.", "No model named 'billing-v2' is served. Served models: default. A model is a subdirectory of the models directory holding a model.json."),
        StatusCodes.Status413PayloadTooLarge => ProblemNode(413, "Content Too Large", "The request body exceeds the limit of 1048576 bytes (Predict:MaxRequestBodyBytes)."),
        StatusCodes.Status415UnsupportedMediaType => ProblemNode(415, "Unsupported Media Type", "Send the request body as JSON with 'Content-Type: application/json' (got 'text/plain')."),
        StatusCodes.Status422UnprocessableEntity => ProblemNode(422, "The model could not be loaded.", "/app/models/default/model.onnx: ONNX Runtime cannot load the graph: ...", new JsonObject { ["model"] = "default", ["servingVersion"] = "2025.11.26-1" }, errorsKey: null, instance: "/models/default/reload"),
        StatusCodes.Status503ServiceUnavailable => ProblemNode(503, "Model not available.", "Model 'default' is not loaded: it is still loading."),
        _ => ProblemNode(500, "An unexpected error occurred.", "The error has been logged; quote the traceId when you report it."),
    };

    private static JsonArray Scores(params (string Label, double Score)[] scores) =>
        new(scores.Select(s => (JsonNode)new JsonObject { ["label"] = s.Label, ["score"] = s.Score }).ToArray());

    private static JsonObject ProblemNode(int status, string title, string detail, JsonObject? extra = null, string? errorsKey = "errors", string instance = "/predict")
    {
        var problem = new JsonObject
        {
            ["type"] = status == StatusCodes.Status429TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4" : $"https://tools.ietf.org/html/rfc9110#section-{Section(status)}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = instance,
        };
        if (extra is not null && errorsKey is not null)
        {
            problem[errorsKey] = extra;
        }
        else if (extra is not null)
        {
            foreach (var (key, value) in extra.ToList())
            {
                extra.Remove(key);
                problem[key] = value;
            }
        }

        problem["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        return problem;
    }

    private static string Section(int status) => status switch
    {
        400 => "15.5.1",
        401 => "15.5.2",
        403 => "15.5.4",
        504 => "15.6.5",
        404 => "15.5.5",
        413 => "15.5.14",
        415 => "15.5.16",
        422 => "15.5.21",
        503 => "15.6.4",
        _ => "15.6.1",
    };
}
