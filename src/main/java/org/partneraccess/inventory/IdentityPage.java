package org.partneraccess.inventory;

import java.util.List;

/** One page of the inventory and the number of identities matching the filter in all pages. */
public record IdentityPage(List<IdentityView> items, int page, int size, long total) {
}
