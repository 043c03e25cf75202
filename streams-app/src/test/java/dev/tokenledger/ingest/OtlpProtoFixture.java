package dev.tokenledger.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The protobuf fixture {@code adapters/otlp-proto/traces.pb}: the same four spans as the OTLP JSON
 * fixture, built with the OTLP classes. {@link #main} wrote the file; the fixture test checks the
 * file still equals what this builds.
 */
final class OtlpProtoFixture {

    private OtlpProtoFixture() {
    }

    static ExportTraceServiceRequest request() {
        Span anthropic = Span.newBuilder()
                .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))
                .setName("chat claude-sonnet-4-5").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(1793614515893456789L).setEndTimeUnixNano(1793614530123456789L)
                .addAttributes(text("gen_ai.operation.name", "chat"))
                .addAttributes(text("gen_ai.provider.name", "anthropic"))
                .addAttributes(text("gen_ai.request.model", "claude-sonnet-4-5"))
                .addAttributes(text("gen_ai.response.model", "claude-sonnet-4-5-20250929"))
                .addAttributes(text("gen_ai.response.id", "msg_01XFDUDYJgAACzvnptvVoYEL"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 48210))
                .addAttributes(integer("gen_ai.usage.cache_read.input_tokens", 36000))
                .addAttributes(integer("gen_ai.usage.cache_creation.input_tokens", 9800))
                .addAttributes(integer("gen_ai.usage.output_tokens", 1184))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.request.temperature").setValue(AnyValue.newBuilder().setDoubleValue(0.2)))
                .build();
        Span http = Span.newBuilder()
                .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("0000000000000b01"))
                .setParentSpanId(id("eee19b7ec3c1b174")).setName("POST /v1/messages").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(1793614515900000000L).setEndTimeUnixNano(1793614530100000000L)
                .addAttributes(text("http.request.method", "POST"))
                .addAttributes(integer("http.response.status_code", 200))
                .build();
        Span openai = Span.newBuilder()
                .setTraceId(id("0af7651916cd43dd8448eb211c80319c")).setSpanId(id("b7ad6b7169203331"))
                .setName("chat gpt-4o").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(1793614799700000000L).setEndTimeUnixNano(1793614800500000000L)
                .addAttributes(text("gen_ai.operation.name", "chat"))
                .addAttributes(text("gen_ai.system", "openai"))
                .addAttributes(text("gen_ai.request.model", "gpt-4o"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1200))
                .addAttributes(integer("gen_ai.usage.cache_read.input_tokens", 1024))
                .addAttributes(integer("gen_ai.usage.output_tokens", 300))
                .addAttributes(text("tokenledger.team", "search"))
                .addAttributes(text("tokenledger.customer_id", "cus_globex"))
                .addAttributes(text("error.type", "500"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream error"))
                .build();
        Span agent = Span.newBuilder()
                .setTraceId(id("0af7651916cd43dd8448eb211c80319c")).setSpanId(id("00000000000a9e17"))
                .setName("invoke_agent triage").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(1793614799000000000L).setEndTimeUnixNano(1793614801000000000L)
                .addAttributes(text("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(text("gen_ai.provider.name", "openai"))
                .addAttributes(integer("gen_ai.usage.input_tokens", 1200))
                .addAttributes(integer("gen_ai.usage.output_tokens", 300))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(text("service.name", "support-copilot"))
                                .addAttributes(text("service.namespace", "support-platform"))
                                .addAttributes(text("deployment.environment.name", "production")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("opentelemetry.instrumentation.anthropic").setVersion("0.40.0"))
                                .addSpans(anthropic).addSpans(http))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("opentelemetry.instrumentation.openai"))
                                .addSpans(openai).addSpans(agent)))
                .build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** Writes the fixture: {@code java ... OtlpProtoFixture streams-app/src/test/resources/adapters/otlp-proto/traces.pb}. */
    public static void main(String[] args) throws Exception {
        Files.write(Path.of(args[0]), request().toByteArray());
    }
}
