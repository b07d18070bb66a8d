using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenTicketAI.Api.Tests.Infrastructure;
using OpenTicketAI.Core.Security;
using OpenTicketAI.Testing;

namespace OpenTicketAI.Api.Tests.Robustness;

/// <summary>
/// A generated corpus of malformed requests against every endpoint of the service, on a host that requires keys:
/// each must get a 4xx application/problem+json (never a 5xx), and the service must stay ready afterwards.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputCorpusTests(ApiFixture api) : IDisposable
{
    private const string ZammadSecret = "corpus-zammad-secret";
    private const string FreeScoutSecret = "corpus-freescout-secret";
    private const int TenMegabytes = 10 * 1024 * 1024;

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_malformed_request_gets_a_4xx_problem_and_the_service_stays_ready()
    {
        await using var factory = new ApiFactory(api.Models.SharedModels, TestApiKeys.Required(new()
        {
            ["Integrations:DataDirectory"] = _data.Path,
            ["Integrations:Zammad:Instances:0:Enabled"] = "true",
            ["Integrations:Zammad:Instances:0:BaseUrl"] = "http://127.0.0.1:9/",
            ["Integrations:Zammad:Instances:0:Token"] = "token",
            ["Integrations:Zammad:Instances:0:WebhookSecret"] = ZammadSecret,
            ["Integrations:FreeScout:Instances:0:Enabled"] = "true",
            ["Integrations:FreeScout:Instances:0:BaseUrl"] = "http://127.0.0.1:9/",
            ["Integrations:FreeScout:Instances:0:ApiKey"] = "key",
            ["Integrations:FreeScout:Instances:0:WebhookSecret"] = FreeScoutSecret,
        }));
        using var client = factory.CreateClient();
        await factory.WaitUntilReadyAsync();

        var corpus = Corpus().ToList();
        var failures = new List<string>();
        foreach (var entry in corpus)
        {
            using var request = entry.Build();
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status is < 400 or > 499
                || (entry.Expected is { } expected && status != expected)
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !IsProblem(text, status))
            {
                failures.Add($"{entry.Name}: {status} {response.Content.Headers.ContentType?.MediaType} {Shorten(text)}");
            }
        }

        Assert.True(corpus.Count >= 300, $"The corpus has only {corpus.Count} requests.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} requests were not a 4xx problem:\n{string.Join("\n", failures)}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var predict = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = Tickets.Json(JsonSerializer.Serialize(Tickets.Billing())) };
        predict.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApiKeys.Predict);
        await (await client.SendAsync(predict)).ReadJsonAsync();
    }

    private static IEnumerable<CorpusEntry> Corpus()
    {
        string[] jsonEndpoints = ["/predict", "/predict/batch", "/models/default/predict", "/models/second/predict/batch", "/rules/evaluate"];
        foreach (var path in jsonEndpoints)
        {
            var key = path.StartsWith("/rules", StringComparison.Ordinal) ? TestApiKeys.Admin : TestApiKeys.Predict;
            foreach (var (name, body) in MalformedBodies())
            {
                yield return new($"{path} {name}", () => Send(HttpMethod.Post, path, key, body, "application/json"));
            }

            foreach (var contentType in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=klingon", "image/png" })
            {
                yield return new($"{path} as {contentType}", () => Send(HttpMethod.Post, path, key, Bytes("""{"subject":"Invoice","body":"charged twice"}"""), contentType), 415);
            }

            yield return new($"{path} without content type", () => Send(HttpMethod.Post, path, key, Bytes("""{"subject":"Invoice"}"""), null), 415);
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
            {
                yield return new($"{method} {path}", () => Send(method, path, key, null, null), 405);
            }

            yield return new($"{path} 10 MB declared", () => Send(HttpMethod.Post, path, key, new byte[TenMegabytes], "application/json"), 413);
            yield return new($"{path} 10 MB chunked", () => Chunked(path, key, TenMegabytes), 413);
            yield return new($"{path} 2 MB string", () => Send(HttpMethod.Post, path, key, Bytes($$"""{"subject":"{{new string('a', 2 * 1024 * 1024)}}"}"""), "application/json"), 413);
        }

        foreach (var path in new[] { "/predict", "/predict/batch", "/models/default/predict" })
        {
            foreach (var topK in new[] { "0", "-1", "21", "abc", "1e3", "99999999999", "", "1.5", "%00", "3&topK=4x" })
            {
                yield return new($"{path}?topK={topK}", () => Send(HttpMethod.Post, $"{path}?topK={topK}", TestApiKeys.Predict, Bytes(ValidBody(path)), "application/json"), 400);
            }
        }

        foreach (var modelName in ModelNames())
        {
            yield return new($"GET /models/{modelName}", () => Send(HttpMethod.Get, $"/models/{modelName}", TestApiKeys.Predict, null, null));
            yield return new($"reload /models/{modelName}", () => Send(HttpMethod.Post, $"/models/{modelName}/reload", TestApiKeys.Admin, null, null));
            if (modelName is ".." or "%2e%2e")
            {
                // HttpClient removes these dot segments itself, so /models/../predict would be a valid POST /predict.
                continue;
            }

            yield return new($"predict /models/{modelName}", () => Send(HttpMethod.Post, $"/models/{modelName}/predict", TestApiKeys.Predict, Bytes(ValidBody("/predict")), "application/json"));
            yield return new($"batch /models/{modelName}", () => Send(HttpMethod.Post, $"/models/{modelName}/predict/batch", TestApiKeys.Predict, Bytes(ValidBody("/batch")), "application/json"));
        }

        foreach (var query in new[] { "status=bogus", "status=1", "status=%00", "limit=0", "limit=1001", "limit=abc", "limit=-5", "limit=99999999999", "status=pending&limit=0" })
        {
            yield return new($"outbox ?{query}", () => Send(HttpMethod.Get, $"/integrations/outbox?{query}", TestApiKeys.Admin, null, null), 400);
        }

        foreach (var id in new[] { "abc", "999999", "-1", "99999999999999999999999", "1.5", "%2e%2e" })
        {
            yield return new($"retry outbox {id}", () => Send(HttpMethod.Post, $"/integrations/outbox/{id}/retry", TestApiKeys.Admin, null, null), 404);
        }

        foreach (var query in new[] { "model=..%2Fetc", "model=nope", "helpdesk=zammad", "instance=main", "helpdesk=zammad&instance=nope", "helpdesk=..&instance=..", $"model={new string('m', 300)}" })
        {
            yield return new($"rules ?{query}", () => Send(HttpMethod.Post, $"/rules/evaluate?{query}", TestApiKeys.Admin, Bytes(ValidBody("/predict")), "application/json"), 404);
        }

        foreach (var entry in FeedbackLoopCorpus())
        {
            yield return entry;
        }

        foreach (var entry in WebhookCorpus())
        {
            yield return entry;
        }

        foreach (var entry in KeyCorpus())
        {
            yield return entry;
        }
    }

    private static IEnumerable<(string Name, byte[] Body)> MalformedBodies()
    {
        yield return ("empty", []);
        yield return ("whitespace", Bytes("  \n\t "));
        yield return ("open brace", Bytes("{"));
        yield return ("missing value", Bytes("""{"subject": }"""));
        yield return ("trailing comma", Bytes("""{"subject": "x",}"""));
        yield return ("single quotes", Bytes("{'subject': 'x'}"));
        yield return ("trailing garbage", Bytes("""{"subject":"x"} xyz"""));
        yield return ("two objects", Bytes("""{"subject":"x"}{"subject":"y"}"""));
        yield return ("array", Bytes("[1,2,3]"));
        yield return ("null", Bytes("null"));
        yield return ("string", Bytes("\"text\""));
        yield return ("number", Bytes("42"));
        yield return ("boolean", Bytes("true"));
        yield return ("subject number", Bytes("""{"subject": 5, "body": "x"}"""));
        yield return ("body object", Bytes("""{"subject": "x", "body": {"a": 1}}"""));
        yield return ("subject array", Bytes("""{"subject": ["a"], "body": "x"}"""));
        yield return ("both null", Bytes("""{"subject": null, "body": null}"""));
        yield return ("both blank", Bytes("""{"subject": "", "body": "   "}"""));
        yield return ("id number", Bytes("""{"subject": "x", "body": "y", "id": 12}"""));
        yield return ("id object", Bytes("""{"subject": "x", "id": {}}"""));
        yield return ("language invalid", Bytes("""{"subject": "x", "body": "y", "language": "not a language!"}"""));
        yield return ("language number", Bytes("""{"subject": "x", "language": 7}"""));
        yield return ("id too long", Bytes($$"""{"subject": "x", "id": "{{new string('i', 201)}}"}"""));
        yield return ("subject too long", Bytes($$"""{"subject": "{{new string('s', 1001)}}"}"""));
        yield return ("body too long", Bytes($$"""{"body": "{{new string('b', 100_001)}}"}"""));
        yield return ("huge number", Bytes("""{"subject": 1e999}"""));
        yield return ("duplicate key, wrong type", Bytes("""{"subject": "x", "subject": 5}"""));
        yield return ("deep array", Bytes("{\"subject\": " + new string('[', 5000) + new string(']', 5000) + "}"));
        yield return ("deep object", Bytes(string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)));
        yield return ("raw control characters", Bytes("{\"subject\": \"a\u0001b\u0000c\", \"body\": \"\u001f\"}"));
        yield return ("escaped control characters only", Bytes("""{"subject": "\u0000\u0001", "body": 5}"""));
        yield return ("lone surrogate and wrong type", Bytes("""{"subject": "\ud800", "body": []}"""));
        yield return ("invalid utf-8", [.. Bytes("{\"subject\": \""), 0xC3, 0x28, 0xFF, .. Bytes("\"}")]);
        yield return ("utf-16 bytes", Encoding.Unicode.GetBytes("""{"subject":"x"}"""));
        yield return ("unknown fields only", Bytes("""{"foo": "bar", "Subjectt": "x"}"""));
        yield return ("tickets null", Bytes("""{"tickets": null}"""));
        yield return ("tickets empty", Bytes("""{"tickets": []}"""));
        yield return ("tickets of null", Bytes("""{"tickets": [null]}"""));
        yield return ("tickets string", Bytes("""{"tickets": "x"}"""));
        yield return ("tickets wrong type", Bytes("""{"tickets": [{"subject": 5}]}"""));
        yield return ("tickets over the batch limit", Bytes(JsonSerializer.Serialize(new { tickets = Enumerable.Repeat(new { subject = "Invoice", body = "charged twice" }, 101) })));
        yield return ("tickets 20,000 empty", Bytes("{\"tickets\": [" + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]}"));
        yield return ("huge tag list", Bytes(JsonSerializer.Serialize(new { tags = Enumerable.Range(0, 50_000).Select(i => $"t{i}") })));
    }

    /// <summary>Names with a NUL (%00) are left out: the in-memory test server refuses such a path before sending it (Kestrel answers 400).</summary>
    private static IEnumerable<string> ModelNames() =>
    [
        "..", "%2e%2e", "..%2F..%2Fetc", "%2F", "a%2Fb", "a%5Cb", "%5C..%5C..", new string('a', 300), "-leading", "name%20with%20space",
        "unknown-model", ".hidden", "%C3%28", "%E2%80%AE", "CON", "..%252F", "default%2F..%2Fsecond",
    ];

    private static IEnumerable<CorpusEntry> WebhookCorpus()
    {
        const string Zammad = "/integrations/zammad/main/webhook";
        const string FreeScout = "/integrations/freescout/main/webhook";
        var payload = Bytes("""{"ticket":{"id":7,"title":"Invoice"},"article":{"body":"charged twice"}}""");
        var other = Bytes("""{"ticket":{"id":8,"title":"Refund"},"article":{"body":"refund please"}}""");
        var zammadSignatures = new (string Name, string? Signature)[]
        {
            ("missing", null),
            ("empty", ""),
            ("zeros", "sha1=" + new string('0', 40)),
            ("replayed from another body", ZammadSignature(other)),
            ("wrong secret", "sha1=" + Convert.ToHexStringLower(HmacSha1("guess", payload))),
            ("sha256 prefix", "sha256=" + Convert.ToHexStringLower(SHA256.HashData(payload))),
            ("not hex", "sha1=zzzz"),
            ("no prefix", Convert.ToHexStringLower(HmacSha1(ZammadSecret, payload))),
            ("truncated", ZammadSignature(payload)[..20]),
            ("very long", "sha1=" + new string('a', 8000)),
        };
        foreach (var (name, signature) in zammadSignatures)
        {
            yield return new($"zammad signature {name}", () => Webhook(Zammad, payload, "X-Hub-Signature", signature), 401);
        }

        var freeScoutSignatures = new (string Name, string? Signature)[]
        {
            ("missing", null),
            ("empty", ""),
            ("not base64", "!!!"),
            ("replayed from another body", FreeScoutSignature(other)),
            ("wrong secret", Convert.ToBase64String(HmacSha1("guess", payload))),
            ("hex instead of base64", Convert.ToHexStringLower(HmacSha1(FreeScoutSecret, payload))),
        };
        foreach (var (name, signature) in freeScoutSignatures)
        {
            yield return new($"freescout signature {name}", () => Webhook(FreeScout, payload, "X-FreeScout-Signature", signature, freeScoutEvent: true), 401);
        }

        // Correctly signed, but not a payload the connector understands: the connector's own 400.
        foreach (var (name, body) in SignedGarbage())
        {
            yield return new($"zammad signed {name}", () => Webhook(Zammad, body, "X-Hub-Signature", ZammadSignature(body)), 400);
            yield return new($"freescout signed {name}", () => Webhook(FreeScout, body, "X-FreeScout-Signature", FreeScoutSignature(body), freeScoutEvent: true), 400);
        }

        yield return new("zammad 10 MB", () => Webhook(Zammad, new byte[TenMegabytes], "X-Hub-Signature", "sha1=" + new string('0', 40)), 413);
        yield return new("zammad 10 MB chunked", () => Chunked(Zammad, null, TenMegabytes), 413);
        yield return new("unknown help desk", () => Webhook("/integrations/nope/main/webhook", payload, "X-Hub-Signature", ZammadSignature(payload)), 404);
        yield return new("unknown instance", () => Webhook("/integrations/zammad/other/webhook", payload, "X-Hub-Signature", ZammadSignature(payload)), 404);
        yield return new("instance path trick", () => Webhook("/integrations/zammad/%2e%2e%2F..%2Fmain/webhook", payload, "X-Hub-Signature", ZammadSignature(payload)), 404);
        yield return new("GET webhook", () => Send(HttpMethod.Get, Zammad, null, null, null), 401);
        yield return new("GET webhook with a key", () => Send(HttpMethod.Get, Zammad, TestApiKeys.Admin, null, null), 405);
    }

    /// <summary>Feedback, KPIs, model versions and training jobs (issue 6's endpoints).</summary>
    private static IEnumerable<CorpusEntry> FeedbackLoopCorpus()
    {
        foreach (var (name, body) in MalformedBodies())
        {
            yield return new($"/feedback {name}", () => Send(HttpMethod.Post, "/feedback", TestApiKeys.Feedback, body, "application/json"));
        }

        var feedbackBodies = new (string Name, string Body, int Status)[]
        {
            ("no ticket id", """{"head":"queue","label":"Billing"}""", 400),
            ("empty ticket id", """{"ticketId":"","head":"queue","label":"Billing"}""", 400),
            ("no head", """{"ticketId":"t-1","label":"Billing"}""", 400),
            ("no label", """{"ticketId":"t-1","head":"queue"}""", 400),
            ("label number", """{"ticketId":"t-1","head":"queue","label":5}""", 400),
            ("at not a date", """{"ticketId":"t-1","head":"queue","label":"Billing","at":"yesterday"}""", 400),
            ("at far future", """{"ticketId":"t-1","head":"queue","label":"Billing","at":"2999-01-01T00:00:00Z"}""", 400),
            ("oversize label", $$"""{"ticketId":"t-1","head":"queue","label":"{{new string('l', 5000)}}"}""", 400),
            ("unknown ticket", """{"ticketId":"never-predicted","head":"queue","label":"Billing"}""", 404),
            ("unknown source", """{"ticketId":"t-1","source":"zammad/nope","head":"queue","label":"Billing"}""", 404),
        };
        foreach (var (name, body, status) in feedbackBodies)
        {
            yield return new($"/feedback {name}", () => Send(HttpMethod.Post, "/feedback", TestApiKeys.Feedback, Bytes(body), "application/json"), status);
        }

        yield return new("/feedback as text/plain", () => Send(HttpMethod.Post, "/feedback", TestApiKeys.Feedback, Bytes("""{"ticketId":"t-1"}"""), "text/plain"), 415);
        yield return new("/feedback 10 MB", () => Send(HttpMethod.Post, "/feedback", TestApiKeys.Feedback, new byte[TenMegabytes], "application/json"), 413);
        yield return new("/feedback with a predict key", () => Send(HttpMethod.Post, "/feedback", TestApiKeys.Predict, Bytes("""{"ticketId":"t-1","head":"queue","label":"Billing"}"""), "application/json"), 403);

        foreach (var query in new[] { "from=yesterday", "to=2026-13-45", "from=2026-02-01&to=2026-01-01", "bucket=0", "bucket=30s", "bucket=abc", "bucket=-1d", "from=2000-01-01&to=2026-01-01&bucket=1m", "model=..%2Fetc" })
        {
            yield return new($"/kpis ?{query}", () => Send(HttpMethod.Get, $"/kpis?{query}", TestApiKeys.Metrics, null, null), 400);
        }

        yield return new("/kpis with a predict key", () => Send(HttpMethod.Get, "/kpis", TestApiKeys.Predict, null, null), 403);
        yield return new("/metrics without a key", () => Send(HttpMethod.Get, "/metrics", null, null, null), 401);
        yield return new("/metrics with a feedback key", () => Send(HttpMethod.Get, "/metrics", TestApiKeys.Feedback, null, null), 403);

        foreach (var version in new[] { "%2e%2e", "..%2F..%2Fetc", "a%2Fb", "a%5Cb", new string('v', 300), "no-such-version", ".hidden", "%C3%28" })
        {
            yield return new($"promote version {version}", () => Send(HttpMethod.Post, $"/models/default/versions/{version}/promote", TestApiKeys.Admin, null, null));
        }

        foreach (var modelName in ModelNames().Where(n => n is not (".." or "%2e%2e")))
        {
            yield return new($"versions of {modelName}", () => Send(HttpMethod.Get, $"/models/{modelName}/versions", TestApiKeys.Admin, null, null));
            yield return new($"rollback {modelName}", () => Send(HttpMethod.Post, $"/models/{modelName}/rollback", TestApiKeys.Admin, null, null));
        }

        yield return new("versions with a predict key", () => Send(HttpMethod.Get, "/models/default/versions", TestApiKeys.Predict, null, null), 403);
        yield return new("train as JSON", () => Send(HttpMethod.Post, "/models/default/train", TestApiKeys.Admin, Bytes("""{"file":"x"}"""), "application/json"));
        yield return new("train without a body", () => Send(HttpMethod.Post, "/models/default/train", TestApiKeys.Admin, null, null));
        yield return new("train with a predict key", () => Send(HttpMethod.Post, "/models/default/train", TestApiKeys.Predict, null, null), 403);
        foreach (var (name, file) in new (string, string)[] { ("empty file", ""), ("no header", "\n\n"), ("binary", "\u0000\u0001\u0002"), ("no label column", "subject,body\nInvoice,charged twice\n"), ("unclosed quote", "subject,body,queue\n\"Invoice,charged,Billing\n") })
        {
            yield return new($"train upload {name}", () => Upload("/models/default/train?label=queue", file));
        }

        foreach (var id in new[] { "abc", "999999", "-1", "%2e%2e", new string('j', 300) })
        {
            yield return new($"job {id}", () => Send(HttpMethod.Get, $"/models/default/train/jobs/{id}", TestApiKeys.Admin, null, null));
            yield return new($"cancel job {id}", () => Send(HttpMethod.Delete, $"/models/default/train/jobs/{id}", TestApiKeys.Admin, null, null));
        }
    }

    private static HttpRequestMessage Upload(string path, string file)
    {
        var request = Send(HttpMethod.Post, path, TestApiKeys.Admin, null, null);
        request.Content = new MultipartFormDataContent { { new ByteArrayContent(Bytes(file)), "file", "tickets.csv" } };
        return request;
    }

    private static IEnumerable<(string Name, byte[] Body)> SignedGarbage()
    {
        yield return ("invalid JSON", Bytes("{\"ticket\":"));
        yield return ("null", Bytes("null"));
        yield return ("array", Bytes("[]"));
        yield return ("number", Bytes("42"));
        yield return ("ticket string", Bytes("""{"ticket": "x"}"""));
        yield return ("ticket without id", Bytes("""{"ticket": {"title": "x"}, "conversation": {"subject": "x"}}"""));
        yield return ("deep nesting", Bytes(string.Concat(Enumerable.Repeat("{\"ticket\":", 500)) + "1" + new string('}', 500)));
        yield return ("invalid utf-8", [.. Bytes("{\"ticket\": {\"id\": 1, \"title\": \""), 0xFF, 0xFE, .. Bytes("\"}}")]);
        yield return ("empty", []);
    }

    private static IEnumerable<CorpusEntry> KeyCorpus()
    {
        var endpoints = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Post, "/predict", ValidBody("/predict")),
            (HttpMethod.Post, "/predict/batch", ValidBody("/batch")),
            (HttpMethod.Post, "/models/default/predict", ValidBody("/predict")),
            (HttpMethod.Get, "/models", null),
            (HttpMethod.Get, "/models/default", null),
            (HttpMethod.Post, "/models/default/reload", null),
            (HttpMethod.Get, "/integrations", null),
            (HttpMethod.Get, "/integrations/outbox", null),
            (HttpMethod.Post, "/integrations/outbox/1/retry", null),
            (HttpMethod.Post, "/rules/evaluate", ValidBody("/predict")),
            (HttpMethod.Get, "/no-such-endpoint", null),
        };
        var badKeys = new (string Name, Action<HttpRequestHeaders> Apply)[]
        {
            ("no key", _ => { }),
            ("wrong bearer", h => h.TryAddWithoutValidation("Authorization", "Bearer otai_not-a-real-key")),
            ("empty bearer", h => h.TryAddWithoutValidation("Authorization", "Bearer ")),
            ("basic auth", h => h.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Bytes("admin:admin")))),
            ("upper-cased key", h => h.TryAddWithoutValidation("X-Api-Key", TestApiKeys.Admin.ToUpperInvariant())),
            ("key plus a character", h => h.TryAddWithoutValidation("X-Api-Key", TestApiKeys.Admin + "x")),
            ("truncated key", h => h.TryAddWithoutValidation("X-Api-Key", TestApiKeys.Admin[..^1])),
            ("the hash as key", h => h.TryAddWithoutValidation("X-Api-Key", ApiKeys.Hash(TestApiKeys.Admin))),
            ("two X-Api-Key headers", h => h.TryAddWithoutValidation("X-Api-Key", [TestApiKeys.Admin, TestApiKeys.Predict])),
            ("8 KB key", h => h.TryAddWithoutValidation("X-Api-Key", new string('k', 8192))),
        };
        foreach (var (method, path, body) in endpoints)
        {
            foreach (var (name, apply) in badKeys)
            {
                yield return new($"{method} {path} with {name}", () =>
                {
                    var request = Send(method, path, null, body is null ? null : Bytes(body), body is null ? null : "application/json");
                    apply(request.Headers);
                    return request;
                }, 401);
            }
        }

        foreach (var (method, path, body) in endpoints.Where(e => e.Path.StartsWith("/integrations", StringComparison.Ordinal) || e.Path.EndsWith("reload", StringComparison.Ordinal) || e.Path.StartsWith("/rules", StringComparison.Ordinal)))
        {
            yield return new($"{method} {path} with a predict key", () => Send(method, path, TestApiKeys.Predict, body is null ? null : Bytes(body), body is null ? null : "application/json"), 403);
        }
    }

    private static string ValidBody(string path) => path.EndsWith("batch", StringComparison.Ordinal)
        ? """{"tickets":[{"subject":"Invoice charged twice","body":"payment billing"}]}"""
        : """{"subject":"Invoice charged twice","body":"payment billing"}""";

    private static HttpRequestMessage Send(HttpMethod method, string path, string? key, byte[]? body, string? contentType)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return request;
    }

    private static HttpRequestMessage Chunked(string path, string? key, int length)
    {
        var request = Send(HttpMethod.Post, path, key, null, null);
        request.Content = new StreamContent(new UnknownLengthStream(new MemoryStream(new byte[length])));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private static HttpRequestMessage Webhook(string path, byte[] body, string header, string? signature, bool freeScoutEvent = false)
    {
        var request = Send(HttpMethod.Post, path, null, body, "application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(header, signature);
        }

        request.Headers.Add("X-Zammad-Delivery", Guid.NewGuid().ToString());
        if (freeScoutEvent)
        {
            request.Headers.Add("X-FreeScout-Event", "convo.created");
        }

        return request;
    }

#pragma warning disable CA5350 // Zammad and FreeScout sign webhooks with HMAC-SHA1.
    private static byte[] HmacSha1(string secret, byte[] body) => HMACSHA1.HashData(Bytes(secret), body);
#pragma warning restore CA5350

    private static string ZammadSignature(byte[] body) => "sha1=" + Convert.ToHexStringLower(HmacSha1(ZammadSecret, body));

    private static string FreeScoutSignature(byte[] body) => Convert.ToBase64String(HmacSha1(FreeScoutSecret, body));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static bool IsProblem(string text, int status)
    {
        try
        {
            var problem = JsonDocument.Parse(text).RootElement;
            return problem.GetProperty("status").GetInt32() == status && problem.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record CorpusEntry(string Name, Func<HttpRequestMessage> Build, int? Expected = null);

    /// <summary>Hides the length so the request goes out without Content-Length, as a chunked upload would.</summary>
    private sealed class UnknownLengthStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
