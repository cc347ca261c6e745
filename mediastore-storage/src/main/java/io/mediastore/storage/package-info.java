/**
 * Private blob storage for MediaStore assets behind one BlobStore interface: an embedded filesystem store, S3, replication across stores and regions, and client-side envelope encryption.
 * It owns blob key validation and atomic streaming writes, so no key escapes a store's root and no partial object is ever visible.
 */
package io.mediastore.storage;
