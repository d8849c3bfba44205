/** The revocation drill: a synthetic partner provisioned, revoked as in an incident and verified. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "keycloak", "partnership", "revocation"})
package org.partneraccess.drill;

import org.springframework.modulith.ApplicationModule;
