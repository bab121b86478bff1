namespace Glassbox.Gateway.Dialects;

/// <summary>Writes an error the gateway answers itself, in the caller's dialect.</summary>
internal static class DialectErrorWriter
{
    public static Task WriteAsync(HttpContext context, IApiDialect dialect, int statusCode, GatewayErrorKind kind, string message)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        var body = dialect.FormatError(statusCode, kind, message);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
