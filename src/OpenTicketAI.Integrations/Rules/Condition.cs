namespace OpenTicketAI.Integrations.Rules;

/// <summary>A parsed rule condition. Missing facts (a head the model lacks) make every comparison false.</summary>
public abstract record Condition
{
    public abstract bool Evaluate(PredictionFacts facts);

    /// <summary>Every fact the condition reads.</summary>
    public abstract IEnumerable<FactPath> Facts();
}

public sealed record AndCondition(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(PredictionFacts facts) => Left.Evaluate(facts) && Right.Evaluate(facts);

    public override IEnumerable<FactPath> Facts() => Left.Facts().Concat(Right.Facts());
}

public sealed record OrCondition(Condition Left, Condition Right) : Condition
{
    public override bool Evaluate(PredictionFacts facts) => Left.Evaluate(facts) || Right.Evaluate(facts);

    public override IEnumerable<FactPath> Facts() => Left.Facts().Concat(Right.Facts());
}

public sealed record NotCondition(Condition Inner) : Condition
{
    public override bool Evaluate(PredictionFacts facts) => !Inner.Evaluate(facts);

    public override IEnumerable<FactPath> Facts() => Inner.Facts();
}

/// <summary>A constant <c>true</c> or <c>false</c>.</summary>
public sealed record ConstantCondition(bool Value) : Condition
{
    public override bool Evaluate(PredictionFacts facts) => Value;

    public override IEnumerable<FactPath> Facts() => [];
}

/// <summary>A boolean fact on its own: <c>needsReview</c>, <c>needsReview.queue</c>.</summary>
public sealed record TruthCondition(FactPath Fact) : Condition
{
    public override bool Evaluate(PredictionFacts facts) => facts.Resolve(Fact) is true;

    public override IEnumerable<FactPath> Facts() => [Fact];
}

public enum CompareOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Contains,
    NotContains,
    In,
    NotIn,
}

/// <summary><c>fact op literal</c>. Strings compare case-insensitively; a list (multi-label head) supports contains and in.</summary>
public sealed record CompareCondition(FactPath Fact, CompareOperator Operator, object Literal) : Condition
{
    public override IEnumerable<FactPath> Facts() => [Fact];

    public override bool Evaluate(PredictionFacts facts)
    {
        var value = facts.Resolve(Fact);
        if (value is null)
        {
            return false;
        }

        return Operator switch
        {
            CompareOperator.Equal => Equal(value, Literal),
            CompareOperator.NotEqual => value is not IReadOnlyList<string> && !Equal(value, Literal),
            CompareOperator.Greater => Numbers(value, out var a, out var b) && a > b,
            CompareOperator.GreaterOrEqual => Numbers(value, out var a, out var b) && a >= b,
            CompareOperator.Less => Numbers(value, out var a, out var b) && a < b,
            CompareOperator.LessOrEqual => Numbers(value, out var a, out var b) && a <= b,
            CompareOperator.Contains => Contains(value, (string)Literal),
            CompareOperator.NotContains => !Contains(value, (string)Literal),
            CompareOperator.In => In(value, (IReadOnlyList<object>)Literal),
            CompareOperator.NotIn => !In(value, (IReadOnlyList<object>)Literal),
            _ => false,
        };
    }

    private static bool Equal(object value, object literal) => (value, literal) switch
    {
        (string s, string l) => string.Equals(s, l, StringComparison.OrdinalIgnoreCase),
        (double d, double l) => d == l,
        (bool b, bool l) => b == l,
        _ => false,
    };

    private bool Numbers(object value, out double left, out double right)
    {
        left = value is double d ? d : double.NaN;
        right = Literal is double l ? l : double.NaN;
        return !double.IsNaN(left) && !double.IsNaN(right);
    }

    private static bool Contains(object value, string literal) => value switch
    {
        IReadOnlyList<string> list => list.Any(item => string.Equals(item, literal, StringComparison.OrdinalIgnoreCase)),
        string s => s.Contains(literal, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static bool In(object value, IReadOnlyList<object> literal) => value switch
    {
        IReadOnlyList<string> list => list.Any(item => literal.Any(l => Equal(item, l))),
        _ => literal.Any(l => Equal(value, l)),
    };
}
