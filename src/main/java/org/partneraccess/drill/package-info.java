/** The revocation drill: a synthetic partner provisioned, revoked as in an incident and verified. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "keycloak", "partnership", "revocation", "trust"})
package org.partneraccess.drill;

import org.springframework.modulith.ApplicationModule;
