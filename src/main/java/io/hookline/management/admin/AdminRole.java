package io.hookline.management.admin;

/** What a management token may do: {@code admin} everything, {@code read} every GET of the admin API. */
enum AdminRole {
  ADMIN("admin"),
  READ("read");

  /** As it appears in audit lines and in {@code GET /admin/api/whoami}. */
  final String label;

  AdminRole(String label) {
    this.label = label;
  }

  boolean mayMutate() {
    return this == ADMIN;
  }
}
