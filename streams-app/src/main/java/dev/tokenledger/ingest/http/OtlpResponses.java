package dev.tokenledger.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * OTLP/HTTP answers in the request's encoding: an {@code ExportTraceServiceResponse} (with
 * {@code partial_success} when spans were rejected) on 200, a {@code google.rpc.Status} otherwise.
 * JSON follows the proto3 JSON mapping (lowerCamelCase names, 64-bit integers as strings).
 */
final class OtlpResponses {

    static final String JSON = "application/json";
    static final String PROTOBUF = "application/x-protobuf";

    /** google.rpc.Code values for the statuses ingest answers with. */
    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNAVAILABLE = 14;
    static final int UNAUTHENTICATED = 16;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OtlpResponses() {
    }

    static byte[] success(boolean protobuf, long rejectedSpans, String errorMessage) {
        if (protobuf) {
            ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
            if (rejectedSpans > 0) {
                b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejectedSpans).setErrorMessage(errorMessage));
            }
            return b.build().toByteArray();
        }
        ObjectNode root = MAPPER.createObjectNode();
        if (rejectedSpans > 0) {
            root.putObject("partialSuccess").put("rejectedSpans", Long.toString(rejectedSpans)).put("errorMessage", errorMessage);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A {@code google.rpc.Status} with {@code code} and {@code message} (no details). */
    static byte[] status(boolean protobuf, int code, String message) {
        if (!protobuf) {
            return MAPPER.createObjectNode().put("code", code).put("message", message).toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
