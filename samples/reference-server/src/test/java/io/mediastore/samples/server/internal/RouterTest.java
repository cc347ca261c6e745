package io.mediastore.samples.server.internal;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouterTest {
    final Router r = new Router()
            .add("GET", "/api/v1/assets/{id}", Router.Access.SESSION, ex -> { })
            .add("POST", "/api/v1/assets/{id}/shares", Router.Access.SESSION, ex -> { })
            .add("GET", "/api/v1/hls/{id}/keys/{keyId}", Router.Access.PUBLIC, ex -> { })
            .add("GET", "/api/v1/hls/{id}/{rendition}/{segment}", Router.Access.PUBLIC, ex -> { });

    @Test
    void onlyDeclaredRoutesMatch() {
        Router.Match m = r.match("GET", "/api/v1/assets/a_1");
        assertNotNull(m);
        assertEquals(Map.of("id", "a_1"), m.params());
        assertNull(r.match("GET", "/api/v1/assets"));
        assertNull(r.match("GET", "/api/v1/assets/a_1/"));
        assertNull(r.match("GET", "/api/v1/assets/../x"));
        assertNull(r.match("GET", "/api/v1/assets/a%2F1"));
        assertNull(r.match("GET", "/api/v1/assets/a 1"));
        assertNull(r.match("DELETE", "/api/v1/assets/a_1"));
        assertEquals(Set.of("GET"), r.methodsFor("/api/v1/assets/a_1"));
        assertEquals(Set.of(), r.methodsFor("/nope"));
        assertEquals(Set.of(), r.methodsFor(""));
    }

    @Test
    void firstDeclaredWins() {
        assertEquals(Map.of("id", "a", "keyId", "k"), r.match("GET", "/api/v1/hls/a/keys/k").params());
        assertEquals(Map.of("id", "a", "rendition", "240p", "segment", "segment-00001.ts"),
                r.match("GET", "/api/v1/hls/a/240p/segment-00001.ts").params());
    }
}
