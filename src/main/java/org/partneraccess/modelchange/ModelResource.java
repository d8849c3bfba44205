package org.partneraccess.modelchange;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One model file of a change, as deployed: its name, its text and the hash the audit chain keeps. */
@Embeddable
public record ModelResource(@Column(name = "resource_name") String name, String content, String sha256) {
}
