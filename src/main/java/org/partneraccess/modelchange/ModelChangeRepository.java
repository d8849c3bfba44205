package org.partneraccess.modelchange;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelChangeRepository extends JpaRepository<ModelChange, String> {
}
