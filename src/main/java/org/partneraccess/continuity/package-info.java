/** Owner continuity: access whose owner has left is handed to a successor or suspended. */
@ApplicationModule(allowedDependencies = {"audit", "inventory", "mail", "partnership", "security"})
package org.partneraccess.continuity;

import org.springframework.modulith.ApplicationModule;
