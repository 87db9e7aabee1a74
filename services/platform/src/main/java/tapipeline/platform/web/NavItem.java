package tapipeline.platform.web;

/** A link in the layout's main navigation, shown only to callers the access allows. */
public record NavItem(String label, String path, Access access) {
}
