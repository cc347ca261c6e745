package io.mediastore.samples.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts are read one after the other straight from the
 * request stream, each body exposed as an {@link InputStream} that ends at the next boundary, so a file part is
 * never held in memory or on disk. Header blocks are bounded (8 KiB per part, 16 headers).
 */
public final class MultipartReader {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");
    private static final int MAX_HEADER_BYTES = 8192;

    /** Malformed multipart input. */
    public static final class MalformedException extends IOException {
        public MalformedException(String message) {
            super(message);
        }
    }

    /** One part: its headers and its body (read it to the end before asking for the next part). */
    public record Part(String name, String filename, String contentType, InputStream body) {
    }

    private final PushbackInputStream in;
    private final byte[] delimiter; // CRLF--boundary
    private boolean finished;
    private PartStream current;

    public MultipartReader(InputStream in, String contentType) throws MalformedException {
        String boundary = boundary(contentType);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.in = new PushbackInputStream(new java.io.BufferedInputStream(in, 64 * 1024), delimiter.length + 4);
    }

    public static String boundary(String contentType) throws MalformedException {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new MalformedException("not multipart/form-data");
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new MalformedException("no boundary");
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The next part, or null after the closing boundary. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            // preamble: skip to the first delimiter (which may start the stream without the leading CRLF)
            in.unread(new byte[] {'\r', '\n'});
            PartStream preamble = new PartStream();
            preamble.transferTo(OutputStreamNull.INSTANCE);
            current = preamble;
        } else {
            current.transferTo(OutputStreamNull.INSTANCE);
        }
        // after a delimiter: "--" ends, else CRLF then headers
        int a = in.read();
        int b = in.read();
        if (a == '-' && b == '-') {
            finished = true;
            return null;
        }
        // transport padding (spaces/tabs) before CRLF is allowed
        while (a == ' ' || a == '\t') {
            a = b;
            b = in.read();
        }
        if (a != '\r' || b != '\n') {
            throw new MalformedException("malformed boundary line");
        }
        Map<String, String> headers = readHeaders();
        String disposition = headers.get("content-disposition");
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new MalformedException("a part without Content-Disposition: form-data");
        }
        Matcher nm = NAME.matcher(disposition);
        if (!nm.find()) {
            throw new MalformedException("a part without a name");
        }
        Matcher fm = FILENAME.matcher(disposition);
        String filename = fm.find() ? fm.group(1) : null;
        current = new PartStream();
        return new Part(nm.group(1), filename, headers.get("content-type"), current);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new MalformedException("truncated part headers");
            }
            if (++total > MAX_HEADER_BYTES) {
                throw new MalformedException("part headers too large");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new MalformedException("bare CR in part headers");
                }
                if (raw.size() == 0) {
                    return h;
                }
                // browsers send a file name in UTF-8, as is (the HTML form-data encoding)
                String line = utf8(raw.toByteArray());
                raw.reset();
                int colon = line.indexOf(":");
                if (colon <= 0) {
                    throw new MalformedException("malformed part header");
                }
                if (h.size() >= 16) {
                    throw new MalformedException("too many part headers");
                }
                h.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            } else {
                raw.write(c);
            }
        }
    }

    private static String utf8(byte[] bytes) throws MalformedException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedException("part headers are not UTF-8");
        }
    }

    /** The body of one part: ends right before CRLF--boundary, which it consumes. */
    private final class PartStream extends InputStream {
        private boolean done;
        private final byte[] window = new byte[delimiter.length];

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                int c = in.read();
                if (c < 0) {
                    throw new MalformedException("the body ended inside a part");
                }
                if (c == delimiter[0]) {
                    // possible delimiter: look ahead
                    window[0] = (byte) c;
                    int got = 1;
                    while (got < delimiter.length) {
                        int d = in.read();
                        if (d < 0) {
                            break;
                        }
                        window[got++] = (byte) d;
                        if (window[got - 1] != delimiter[got - 1]) {
                            break;
                        }
                    }
                    if (got == delimiter.length && window[got - 1] == delimiter[got - 1]) {
                        done = true;
                        return n == 0 ? -1 : n;
                    }
                    // not a delimiter: emit the first byte, push the rest back
                    in.unread(window, 1, got - 1);
                    buf[off + n++] = (byte) c;
                    if (n > 0 && in.available() == 0) {
                        return n;
                    }
                    continue;
                }
                buf[off + n++] = (byte) c;
            }
            return n;
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
