package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URISyntaxException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Which endpoints an S3 store accepts: https anywhere, plain http only on loopback (by literal, never by name
 * lookup) unless allowPlainHttp() is called, and nothing else.
 */
class S3EndpointProperties {

    private static S3BlobStore.Builder builder(String endpoint) {
        return S3BlobStore.builder().bucket("media").endpoint(URI.create(endpoint));
    }

    @Example
    void httpsIsAcceptedAnywhere() {
        for (String e : new String[] {"https://s3.eu-west-1.amazonaws.com", "https://minio.internal:9000",
                "https://10.1.2.3:9000/s3", "HTTPS://[2001:db8::1]:443"}) {
            assertDoesNotThrow(() -> S3BlobStore.checkEndpoint(URI.create(e), false), e);
        }
    }

    @Example
    void plainHttpIsAcceptedOnLoopback() {
        for (String e : new String[] {"http://127.0.0.1:9000", "http://localhost:9000", "http://LOCALHOST",
                "http://[::1]:9000", "http://127.255.0.9"}) {
            assertDoesNotThrow(() -> S3BlobStore.checkEndpoint(URI.create(e), false), e);
        }
    }

    @Example
    void plainHttpOffLoopbackNeedsTheExplicitSwitch() {
        for (String e : new String[] {"http://10.0.0.5:9000", "http://minio:9000", "http://127.0.0.1.example.com",
                "http://localhost.example.com", "http://128.0.0.1", "http://[::2]", "http://0.0.0.0:9000",
                "http://2130706433"}) { // 127.0.0.1 as one number: loopback only in its dotted form
            var refused = assertThrows(IllegalArgumentException.class, () -> S3BlobStore.checkEndpoint(URI.create(e), false), e);
            assertTrue(refused.getMessage().contains("allowPlainHttp"), refused.getMessage());
            assertDoesNotThrow(() -> S3BlobStore.checkEndpoint(URI.create(e), true), e);
        }
        var built = assertThrows(IllegalArgumentException.class, () -> builder("http://10.0.0.5:9000").build());
        assertTrue(built.getMessage().contains("unencrypted"), built.getMessage());
        builder("http://10.0.0.5:9000").allowPlainHttp().build().close();
    }

    @Example
    void otherShapesAreRefusedWhateverTheSwitch() {
        for (String e : new String[] {"ftp://127.0.0.1", "file:///tmp/s3", "//127.0.0.1:9000",
                "https://key:secret@s3.example.com", "https://s3.example.com/?x=1", "https://s3.example.com/#f",
                "mailto:ops@example.com", "http://127.0.0.01000"}) {
            var refused = assertThrows(IllegalArgumentException.class, () -> S3BlobStore.checkEndpoint(URI.create(e), true), e);
            assertTrue(refused.getMessage().startsWith("the endpoint must be"), refused.getMessage());
            assertTrue(!refused.getMessage().contains("secret"), "no credentials in the message");
        }
    }

    @Property
    void dottedQuadIsLoopbackExactlyWhenItStartsWith127(@ForAll @IntRange(min = 0, max = 255) int a,
                                                       @ForAll @IntRange(min = 0, max = 255) int b,
                                                       @ForAll @IntRange(min = 0, max = 255) int c,
                                                       @ForAll @IntRange(min = 0, max = 255) int d) {
        URI e = URI.create("http://" + a + "." + b + "." + c + "." + d + ":9000");
        boolean accepted;
        try {
            S3BlobStore.checkEndpoint(e, false);
            accepted = true;
        } catch (IllegalArgumentException refused) {
            accepted = false;
        }
        assertEquals(a == 127, accepted, e.toString());
    }

    @Provide
    Arbitrary<String> hostileHosts() {
        return Arbitraries.strings().withChars("0123456789.abcdefghijklmnopqrstuvwxyz-:[]%@/?#\\").ofMaxLength(40);
    }

    /** Any string either fails to parse as a URI or gets a verdict; never another exception or a hang. */
    @Property
    void arbitraryEndpointsGetAVerdict(@ForAll("hostileHosts") String host, @ForAll boolean https, @ForAll boolean allow) {
        URI e;
        try {
            e = new URI((https ? "https://" : "http://") + host);
        } catch (URISyntaxException notAUri) {
            return;
        }
        try {
            S3BlobStore.checkEndpoint(e, allow);
            assertTrue(e.getHost() != null, "accepted only with a host: " + e);
            assertTrue(https || allow || e.getHost().startsWith("127.") || e.getHost().equalsIgnoreCase("localhost")
                    || e.getHost().equals("[::1]"), "plain http accepted off loopback: " + e);
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().contains("endpoint"), refused.getMessage());
        }
    }
}
