/**
 * Temporary access tokens for MediaStore downloads and video views: a grant scoped to a resource or path prefix, actions and a bounded lifetime, verified against every request with a precise reason on refusal.
 * It owns the token formats (HMAC-SHA-256, Ed25519, PASETO v4), key rotation, single use, revocation, and signed URLs and cookies.
 */
package io.mediastore.tokens;
