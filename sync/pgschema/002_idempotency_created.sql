-- 002: expired idempotency keys are deleted by age.
CREATE INDEX idempotency_created ON idempotency (created);
