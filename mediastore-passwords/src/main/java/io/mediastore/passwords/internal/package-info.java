/**
 * Implementation of the password module: the Argon2 engines (native through argon2-jvm, pure Java
 * over pooled blocks), the memory budget, the PHC parser and encodings. Not API; may change at any time.
 */
package io.mediastore.passwords.internal;
