using FluentValidation;
using FluentValidation.Results;
namespace OpenTicketAI.Api.Hosting;

/// <summary>
/// Runs the registered FluentValidation validator of every endpoint argument that has one and answers 400 with all
/// failures, keyed by the field as the client wrote it (<c>tickets[3].body</c>).
/// </summary>
public static class ValidationFilter
{
    public static TBuilder WithValidation<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory(Create);

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var validated = context.MethodInfo.GetParameters()
            .Select((parameter, index) => (index, validator: typeof(IValidator<>).MakeGenericType(parameter.ParameterType)))
            .Where(p => services.IsService(p.validator))
            .ToArray();
        if (validated.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            var failures = new List<ValidationFailure>();
            foreach (var (index, validatorType) in validated)
            {
                if (invocation.Arguments[index] is not { } argument)
                {
                    continue;
                }

                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                failures.AddRange(result.Errors);
            }

            if (failures.Count == 0)
            {
                return await next(invocation);
            }

            var errors = failures
                .GroupBy(f => JsonPath.ToFieldName(f.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
            return ValidationProblems.Create(errors);
        };
    }
}
