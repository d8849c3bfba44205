package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

/** One part of a server-rendered dashboard page, so an assertion reads that part only. */
final class PageSlices {

    private PageSlices() {
    }

    /** From the element carrying {@code attribute} to its closing {@code end}; fails when the page has no such element. */
    static String slice(String page, String attribute, String end) {
        int start = page.indexOf(attribute);
        assertThat(start).as(attribute).isPositive();
        return page.substring(start, page.indexOf(end, start));
    }
}
