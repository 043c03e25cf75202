package dev.tokenledger.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** OTLP/HTTP protobuf trace exports: one binary {@code ExportTraceServiceRequest} per body, mapped as {@link OtlpJsonAdapter}'s. */
final class OtlpProtoAdapter implements InputAdapter {

    private static final HexFormat HEX = HexFormat.of();

    @Override
    public InputFormat format() {
        return InputFormat.OTLP_PROTO;
    }

    @Override
    public AdapterResult parse(byte[] body, AttributionKeys keys) {
        AdapterRun run = new AdapterRun();
        if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
            run.reject(new Reject(RejectReason.UNKNOWN_ENCODING, "body", null, "the body is gzip-compressed; decompress it first", null));
            return run.result();
        }
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            run.reject(new Reject(RejectReason.UNDECODABLE, "body", null,
                    "not an OTLP ExportTraceServiceRequest in protobuf: " + e.getMessage(), null));
            return run.result();
        }
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans rs = request.getResourceSpans(r);
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (int s = 0; s < rs.getScopeSpansCount(); s++) {
                ScopeSpans ss = rs.getScopeSpans(s);
                for (int i = 0; i < ss.getSpansCount(); i++) {
                    Span span = ss.getSpans(i);
                    String at = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    run.map(at, span.toByteArray(), () -> GenAiSpans.toEvent(view(span, at, resource), InputFormat.OTLP_PROTO, keys));
                }
            }
        }
        return run.result();
    }

    private static SpanView view(Span span, String at, Map<String, Object> resource) {
        Map<String, Object> attrs = attributes(span.getAttributesList());
        boolean call = attrs.get("gen_ai.operation.name") instanceof String op && GenAiSpans.CALLS.contains(op);
        return new SpanView(at, resource, attrs, call ? id(span.getTraceId(), "traceId", 16) : null,
                call ? id(span.getSpanId(), "spanId", 8) : null, span.getStartTimeUnixNano(), span.getEndTimeUnixNano(),
                span.getStatus().getCodeValue(), span.getName());
    }

    private static String id(ByteString bytes, String field, int length) {
        if (bytes.size() != length) {
            throw new RecordRejected(bytes.isEmpty() ? RejectReason.MISSING_FIELD : RejectReason.INVALID_VALUE, field,
                    field + " has " + bytes.size() + " bytes; OTLP ids are " + length);
        }
        return HEX.formatHex(bytes.toByteArray());
    }

    private static Map<String, Object> attributes(List<KeyValue> list) {
        Map<String, Object> out = new HashMap<>();
        for (KeyValue kv : list) {
            Object v = value(kv.getValue());
            if (v != null) out.put(kv.getKey(), v);
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> new BigDecimal(Double.toString(v.getDoubleValue()));
            case BOOL_VALUE -> v.getBoolValue();
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(x -> {
                    Object o = value(x);
                    if (o != null) items.add(o);
                });
                yield items;
            }
            default -> null;
        };
    }
}
