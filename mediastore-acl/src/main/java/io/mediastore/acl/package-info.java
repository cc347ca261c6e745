/**
 * Access control for MediaStore objects: models with their actions, roles with inheritance, and grants and denies on single objects, object trees (collection to asset) and whole models.
 * A check returns an explained decision, and listing what a principal may see yields a bind-parameter SQL filter, so host applications never trim pages after the fact.
 */
package io.mediastore.acl;
