/**
 * Token issue and verify against jjwt and nimbus-jose-jwt doing the equivalent JWT with the same claims,
 * and a bare JCE HMAC-SHA-256 over the token's signed bytes as the ceiling.
 */
package io.mediastore.benchmarks.tokens;
