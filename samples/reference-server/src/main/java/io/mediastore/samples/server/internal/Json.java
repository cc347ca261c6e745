package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonFactory;

import java.io.IOException;

/** The one JSON mapper: strict parsing (no duplicate keys, bounded nesting and string length). */
public final class Json {
    public static final ObjectMapper MAPPER;

    static {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(1 << 20).build())
                .build();
        MAPPER = new ObjectMapper(f);
        MAPPER.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        MAPPER.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static JsonNode parse(byte[] body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiException(400, "validation", "the body must be a JSON object", java.util.Map.of("field", "body"));
            }
            return n;
        } catch (IOException e) {
            throw new ApiException(400, "validation", "the body is not valid JSON", java.util.Map.of("field", "body"));
        }
    }

    /** A required string field, at most {@code max} characters, no control characters except tab/newline in long text. */
    public static String text(JsonNode body, String field, int max, boolean required) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.validation(field, field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.validation(field, field + " must be a string");
        }
        String s = n.textValue();
        if (s.length() > max) {
            throw ApiException.validation(field, field + " is longer than " + max + " characters");
        }
        checkText(field, s);
        return s;
    }

    /** Refuses control characters other than tab and line breaks, and unpaired surrogates, in user text. */
    public static void checkText(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0x7f) {
                throw ApiException.validation(field, field + " contains control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.validation(field, field + " contains an unpaired surrogate");
            }
        }
    }
}
