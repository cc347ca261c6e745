package io.mediastore.tokens.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON PASETO claims need: a strict parser (RFC 8259; duplicate keys, trailing data, lone
 * surrogates in escapes and nesting deeper than {@value #MAX_DEPTH} are refused) producing
 * {@code Map}, {@code List}, {@code String}, {@code Long}, {@code BigDecimal}, {@code Boolean} and
 * {@link #NULL}; and a string escaper for writing.
 */
public final class Json {
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
    static final int MAX_DEPTH = 16;

    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** Thrown for any input that is not one well-formed JSON value. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static Object parse(String text) throws Invalid {
        Json p = new Json(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) {
            throw new Invalid("trailing data");
        }
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) throws Invalid {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new Invalid("not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private Object value(int depth) throws Invalid {
        if (depth > MAX_DEPTH) {
            throw new Invalid("nested too deeply");
        }
        if (i >= s.length()) {
            throw new Invalid("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw new Invalid("unexpected character");
        }
    }

    private Object literal(String word, Object v) throws Invalid {
        if (!s.startsWith(word, i)) {
            throw new Invalid("bad literal");
        }
        i += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws Invalid {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw new Invalid("expected a key");
            }
            String k = string();
            ws();
            expect(':');
            ws();
            Object v = value(depth + 1);
            if (m.put(k, v) != null) {
                throw new Invalid("duplicate key");
            }
            ws();
            char c = next();
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw new Invalid("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws Invalid {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            ws();
            l.add(value(depth + 1));
            ws();
            char c = next();
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                throw new Invalid("expected ',' or ']'");
            }
        }
    }

    private String string() throws Invalid {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new Invalid("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u': unicodeEscape(sb); break;
                default: throw new Invalid("bad escape");
            }
        }
    }

    /** A {@code \\u} escape after its "u": a surrogate only as a high-low pair of escapes. */
    private void unicodeEscape(StringBuilder sb) throws Invalid {
        char c = hex4();
        if (Character.isHighSurrogate(c) && i + 2 <= s.length() && s.charAt(i) == '\\' && s.charAt(i + 1) == 'u') {
            i += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) {
                throw new Invalid("lone surrogate in \\u escape");
            }
            sb.append(c).append(low);
        } else if (Character.isSurrogate(c)) {
            throw new Invalid("lone surrogate in \\u escape");
        } else {
            sb.append(c);
        }
    }

    private char hex4() throws Invalid {
        if (i + 4 > s.length()) {
            throw new Invalid("bad \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
                throw new Invalid("bad \\u escape");
            }
            v = v << 4 | d;
        }
        i += 4;
        return (char) v;
    }

    private Object number() throws Invalid {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw new Invalid("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            i++;
            integral = false;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new Invalid("bad number");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new Invalid("bad number");
            }
            digits();
        }
        String n = s.substring(start, i);
        if (integral && n.length() <= 18) {
            return Long.parseLong(n);
        }
        if (n.length() > 64) {
            throw new Invalid("number too long");
        }
        return new BigDecimal(n);
    }

    private void digits() {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private char next() throws Invalid {
        if (i >= s.length()) {
            throw new Invalid("unexpected end");
        }
        return s.charAt(i++);
    }

    private void expect(char c) throws Invalid {
        if (next() != c) {
            throw new Invalid("expected '" + c + "'");
        }
    }

    /** Appends {@code v} as a JSON string literal. */
    public static StringBuilder quote(String v, StringBuilder sb) {
        sb.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        // lone surrogates cannot go to UTF-8; escaping every surrogate keeps pairs intact too
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"');
    }
}
