package io.mediastore.storage.internal;

import io.mediastore.storage.BlobKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Page tokens are the last key of the previous page, base64url-encoded so callers treat them as opaque. */
public final class PageTokens {
    private PageTokens() {
    }

    public static String encode(BlobKey lastKey) {
        return "k1." + Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.value().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the key after which the next page starts, or null for a null token
     * @throws IllegalArgumentException if the token was not made by {@link #encode(BlobKey)}
     */
    public static BlobKey decode(String token) {
        if (token == null) {
            return null;
        }
        if (!token.startsWith("k1.") || token.length() > 2000) {
            throw new IllegalArgumentException("not a page token of this store");
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token.substring(3));
            var decoder = StandardCharsets.UTF_8.newDecoder();
            String key = decoder.decode(java.nio.ByteBuffer.wrap(raw)).toString();
            return BlobKey.of(key);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("not a page token of this store");
        }
    }

    public static void checkPageSize(int pageSize) {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("page size must be 1 to 1000");
        }
    }
}
