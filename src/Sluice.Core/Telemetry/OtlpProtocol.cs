namespace Sluice.Telemetry;

/// <summary>The OTLP transports.</summary>
public enum OtlpProtocol
{
    /// <summary>Protocol buffers over HTTP (<c>http/protobuf</c>), usually port 4318.</summary>
    HttpProtobuf,

    /// <summary>gRPC, usually port 4317.</summary>
    Grpc,
}
