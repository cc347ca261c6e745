package io.mediastore.samples.server.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The streaming multipart reader: round trips of any content (including boundary look-alikes), and hostile input. */
class MultipartReaderProperties {

    static byte[] encode(String boundary, List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.size(); i++) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"f" + i + "\"; filename=\"x" + i
                    + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bodies.get(i));
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Provide
    Arbitrary<byte[]> tricky() {
        // bytes drawn mostly from the delimiter's alphabet, so partial delimiters appear often
        return Arbitraries.of((byte) '\r', (byte) '\n', (byte) '-', (byte) 'b', (byte) 'X', (byte) 0, (byte) 0xff)
                .array(byte[].class).ofMaxSize(300);
    }

    /** Reads in odd chunk sizes, like a network stream. */
    static InputStream chunky(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Property(tries = 300)
    void roundTrip(@ForAll @Size(max = 4) List<@net.jqwik.api.From("tricky") byte[]> bodies,
                   @ForAll @IntRange(min = 1, max = 17) int chunk) throws IOException {
        String boundary = "bXb";
        // a sender picks a boundary that its content does not contain (RFC 2046 5.1.1)
        for (byte[] b : bodies) {
            net.jqwik.api.Assume.that(!new String(b, StandardCharsets.ISO_8859_1).contains("--" + boundary));
        }
        MultipartReader r = new MultipartReader(chunky(encode(boundary, bodies), chunk), "multipart/form-data; boundary=" + boundary);
        List<byte[]> got = new ArrayList<>();
        MultipartReader.Part p;
        int i = 0;
        while ((p = r.next()) != null) {
            assertEquals("f" + i, p.name());
            assertEquals("x" + i + ".bin", p.filename());
            got.add(p.body().readAllBytes());
            i++;
        }
        assertEquals(bodies.size(), got.size());
        for (int k = 0; k < bodies.size(); k++) {
            assertArrayEquals(bodies.get(k), got.get(k));
        }
        assertNull(r.next());
    }

    @Property(tries = 200)
    void fileNamesRoundTripInUtf8(@ForAll @net.jqwik.api.constraints.StringLength(min = 1, max = 40) String name) throws IOException {
        // a browser sends the name's UTF-8 bytes as they are; quotes and line breaks it escapes, so leave them out
        net.jqwik.api.Assume.that(name.chars().noneMatch(c -> c == '"' || c == '\r' || c == '\n')
                && StandardCharsets.UTF_8.newEncoder().canEncode(name));
        byte[] head = ("--bXb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes("body\r\n--bXb--\r\n".getBytes(StandardCharsets.US_ASCII));
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(out.toByteArray()), "multipart/form-data; boundary=bXb");
        MultipartReader.Part p = r.next();
        assertEquals(name.strip(), p.filename().strip());
        assertArrayEquals("body".getBytes(StandardCharsets.US_ASCII), p.body().readAllBytes());
    }

    @net.jqwik.api.Example
    void partHeadersThatAreNotUtf8AreRefused() {
        byte[] input = "--bXb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"caf\u00e9.txt\"\r\n\r\nx\r\n--bXb--\r\n"
                .getBytes(StandardCharsets.ISO_8859_1); // a lone 0xE9
        MultipartReader.MalformedException e = org.junit.jupiter.api.Assertions.assertThrows(MultipartReader.MalformedException.class,
                () -> new MultipartReader(new ByteArrayInputStream(input), "multipart/form-data; boundary=bXb").next());
        assertEquals("part headers are not UTF-8", e.getMessage());
    }

    @Property(tries = 500)
    void hostileInputIsRefusedNeverCrashes(@ForAll("tricky") byte[] junk, @ForAll @IntRange(min = 0, max = 200) int cut)
            throws IOException {
        byte[] valid = encode("bXb", List.of(junk, "abc".getBytes(StandardCharsets.US_ASCII)));
        byte[] truncated = java.util.Arrays.copyOf(valid, Math.min(valid.length, cut));
        for (byte[] input : List.of(junk, truncated)) {
            try {
                MultipartReader r = new MultipartReader(new ByteArrayInputStream(input), "multipart/form-data; boundary=bXb");
                MultipartReader.Part p;
                int parts = 0;
                while ((p = r.next()) != null && parts++ < 100) {
                    p.body().readAllBytes();
                }
            } catch (MultipartReader.MalformedException expected) {
                // the documented refusal
            }
        }
    }

    @Property(tries = 100)
    void contentTypesWithoutBoundaryAreRefused(@ForAll @net.jqwik.api.constraints.StringLength(max = 60) String ct) {
        if (ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data") && ct.toLowerCase(java.util.Locale.ROOT).contains("boundary=")) {
            return;
        }
        try {
            new MultipartReader(new ByteArrayInputStream(new byte[0]), ct);
            throw new AssertionError("accepted " + ct);
        } catch (MultipartReader.MalformedException expected) {
            // refused
        }
    }
}
