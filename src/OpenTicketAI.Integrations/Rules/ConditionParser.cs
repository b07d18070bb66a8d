using System.Globalization;
using System.Text;

namespace OpenTicketAI.Integrations.Rules;

/// <summary>
/// Parses conditions such as <c>priority == 'High' and confidence.priority &gt;= 0.8</c>,
/// <c>tags contains 'refund'</c>, <c>language in ['DE', 'FR']</c>, <c>not needsReview.queue</c>.
/// Keywords (<c>and or not contains in true false</c>) are case-insensitive; <c>&amp;&amp; || !</c> work too.
/// </summary>
public static class ConditionParser
{
    public static Condition Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new RuleSyntaxException("the condition is empty.", 0);
        }

        var parser = new Parser(Tokenize(text));
        var condition = parser.ParseOr();
        parser.ExpectEnd();
        return condition;
    }

    private enum Kind
    {
        Name,
        String,
        Number,
        Operator,
        Open,
        Close,
        OpenList,
        CloseList,
        Comma,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position)
    {
        public bool IsKeyword(string keyword) => Kind == Kind.Name && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

        public string Describe() => Kind switch
        {
            Kind.End => "the end of the condition",
            Kind.String => $"the text '{Text}'",
            _ => $"'{Text}'",
        };
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c is '\'' or '"')
            {
                tokens.Add(new Token(Kind.String, ReadString(text, ref i), start));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Number, text[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Name, text[start..i], start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "==" or "!=" or ">=" or "<=" or "&&" or "||")
                {
                    tokens.Add(new Token(Kind.Operator, two, start));
                    i += 2;
                    continue;
                }

                i++;
                tokens.Add(c switch
                {
                    '>' or '<' or '!' => new Token(Kind.Operator, c.ToString(), start),
                    '(' => new Token(Kind.Open, "(", start),
                    ')' => new Token(Kind.Close, ")", start),
                    '[' => new Token(Kind.OpenList, "[", start),
                    ']' => new Token(Kind.CloseList, "]", start),
                    ',' => new Token(Kind.Comma, ",", start),
                    '=' => throw new RuleSyntaxException("'=' is not an operator; compare with '=='.", start),
                    _ => throw new RuleSyntaxException($"unexpected character '{c}'.", start),
                });
            }
        }

        tokens.Add(new Token(Kind.End, string.Empty, text.Length));
        return tokens;
    }

    /// <summary>Reads a quoted string at <paramref name="i"/>; a backslash escapes the next character.</summary>
    internal static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i;
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i]);
            i++;
        }

        if (i >= text.Length)
        {
            throw new RuleSyntaxException($"the text starting with {quote} is not closed.", start);
        }

        i++;
        return value.ToString();
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _next;

        private Token Peek => tokens[_next];

        public void ExpectEnd()
        {
            if (Peek.Kind != Kind.End)
            {
                throw new RuleSyntaxException($"expected 'and', 'or' or the end of the condition, found {Peek.Describe()}.", Peek.Position);
            }
        }

        public Condition ParseOr()
        {
            var left = ParseAnd();
            while (Peek.IsKeyword("or") || Peek is { Kind: Kind.Operator, Text: "||" })
            {
                _next++;
                left = new OrCondition(left, ParseAnd());
            }

            return left;
        }

        private Condition ParseAnd()
        {
            var left = ParseNot();
            while (Peek.IsKeyword("and") || Peek is { Kind: Kind.Operator, Text: "&&" })
            {
                _next++;
                left = new AndCondition(left, ParseNot());
            }

            return left;
        }

        private Condition ParseNot()
        {
            if (Peek.IsKeyword("not") || Peek is { Kind: Kind.Operator, Text: "!" })
            {
                _next++;
                return new NotCondition(ParseNot());
            }

            if (Peek.Kind == Kind.Open)
            {
                _next++;
                var inner = ParseOr();
                if (Peek.Kind != Kind.Close)
                {
                    throw new RuleSyntaxException($"expected ')', found {Peek.Describe()}.", Peek.Position);
                }

                _next++;
                return inner;
            }

            return ParseComparison();
        }

        private Condition ParseComparison()
        {
            var token = Peek;
            if (token.IsKeyword("true") || token.IsKeyword("false"))
            {
                _next++;
                return new ConstantCondition(token.IsKeyword("true"));
            }

            if (token.Kind != Kind.Name || IsReserved(token))
            {
                throw new RuleSyntaxException($"expected a name such as queue or confidence.queue, found {token.Describe()}.", token.Position);
            }

            _next++;
            if (!FactPath.TryParse(token.Text, out var fact, out var error))
            {
                throw new RuleSyntaxException(error!, token.Position);
            }

            var op = ReadOperator();
            if (op is null)
            {
                if (fact!.Kind is FactKind.NeedsReview or FactKind.AnyNeedsReview)
                {
                    return new TruthCondition(fact);
                }

                throw new RuleSyntaxException($"'{fact.Text}' is not true or false on its own; compare it, e.g. {fact.Text} == 'value'.", Peek.Position);
            }

            var literalToken = Peek;
            var literal = ReadLiteral();
            Check(fact!, op.Value, literal, literalToken);
            return new CompareCondition(fact!, op.Value, literal);
        }

        private CompareOperator? ReadOperator()
        {
            var token = Peek;
            if (token.Kind == Kind.Operator)
            {
                CompareOperator? op = token.Text switch
                {
                    "==" => CompareOperator.Equal,
                    "!=" => CompareOperator.NotEqual,
                    ">" => CompareOperator.Greater,
                    ">=" => CompareOperator.GreaterOrEqual,
                    "<" => CompareOperator.Less,
                    "<=" => CompareOperator.LessOrEqual,
                    _ => null,
                };
                if (op is not null)
                {
                    _next++;
                }

                return op;
            }

            if (token.IsKeyword("contains"))
            {
                _next++;
                return CompareOperator.Contains;
            }

            if (token.IsKeyword("in"))
            {
                _next++;
                return CompareOperator.In;
            }

            if (token.IsKeyword("not") && (tokens[_next + 1].IsKeyword("in") || tokens[_next + 1].IsKeyword("contains")))
            {
                var negated = tokens[_next + 1].IsKeyword("in") ? CompareOperator.NotIn : CompareOperator.NotContains;
                _next += 2;
                return negated;
            }

            return null;
        }

        private object ReadLiteral()
        {
            var token = Peek;
            switch (token.Kind)
            {
                case Kind.String:
                    _next++;
                    return token.Text;
                case Kind.Number:
                    _next++;
                    return ParseNumber(token);
                case Kind.Name when token.IsKeyword("true") || token.IsKeyword("false"):
                    _next++;
                    return token.IsKeyword("true");
                case Kind.OpenList:
                    _next++;
                    var items = new List<object>();
                    while (Peek.Kind != Kind.CloseList)
                    {
                        if (items.Count > 0)
                        {
                            if (Peek.Kind != Kind.Comma)
                            {
                                throw new RuleSyntaxException($"expected ',' or ']', found {Peek.Describe()}.", Peek.Position);
                            }

                            _next++;
                        }

                        var item = Peek;
                        if (item.Kind == Kind.String)
                        {
                            items.Add(item.Text);
                        }
                        else if (item.Kind == Kind.Number)
                        {
                            items.Add(ParseNumber(item));
                        }
                        else
                        {
                            throw new RuleSyntaxException($"a list holds quoted values or numbers, found {item.Describe()}.", item.Position);
                        }

                        _next++;
                    }

                    _next++;
                    return items;
                case Kind.Name:
                    throw new RuleSyntaxException($"compare with a value in quotes, e.g. '{token.Text}'; names cannot be compared with names.", token.Position);
                default:
                    throw new RuleSyntaxException($"expected a value, found {token.Describe()}.", token.Position);
            }
        }

        private static double ParseNumber(Token token) =>
            double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new RuleSyntaxException($"'{token.Text}' is not a number.", token.Position);

        private static bool IsReserved(Token token) =>
            token.IsKeyword("and") || token.IsKeyword("or") || token.IsKeyword("not") || token.IsKeyword("contains") || token.IsKeyword("in");

        /// <summary>Rejects comparisons that can never hold, so a typo fails at start-up rather than silently never firing.</summary>
        private static void Check(FactPath fact, CompareOperator op, object literal, Token at)
        {
            var numeric = fact.Kind == FactKind.Confidence;
            var boolean = fact.Kind is FactKind.NeedsReview or FactKind.AnyNeedsReview;
            string? problem = op switch
            {
                CompareOperator.Greater or CompareOperator.GreaterOrEqual or CompareOperator.Less or CompareOperator.LessOrEqual when !numeric =>
                    $"'{fact.Text}' is not a number; only confidence.<head> compares with <, <=, > and >=.",
                _ when numeric && literal is not double && op is not (CompareOperator.In or CompareOperator.NotIn) =>
                    $"'{fact.Text}' is a number from 0 to 1; compare it with a number, e.g. {fact.Text} >= 0.8.",
                _ when numeric && literal is double d && (d < 0 || d > 1) =>
                    $"'{fact.Text}' is between 0 and 1; {d.ToString(CultureInfo.InvariantCulture)} is out of range.",
                _ when boolean && literal is not bool =>
                    $"'{fact.Text}' is true or false; compare it with true or false.",
                CompareOperator.Equal or CompareOperator.NotEqual when !numeric && !boolean && literal is not string =>
                    $"'{fact.Text}' is a label; compare it with a value in quotes.",
                CompareOperator.Contains or CompareOperator.NotContains when numeric || boolean || literal is not string =>
                    $"contains needs a label on the left and a value in quotes on the right.",
                CompareOperator.In or CompareOperator.NotIn when literal is not IReadOnlyList<object> =>
                    "in needs a list on the right, e.g. ['DE', 'FR'].",
                CompareOperator.In or CompareOperator.NotIn when boolean =>
                    $"'{fact.Text}' is true or false; it cannot be in a list.",
                _ => null,
            };
            if (problem is not null)
            {
                throw new RuleSyntaxException(problem, at.Position);
            }
        }
    }
}
