-- A supervisor's workload table starts from the agency's active users and
-- reaches their case teams by the members' index (sqlstore.Workload), rather
-- than reading every case membership in the country and keeping the
-- agency's.
CREATE INDEX users_agency ON users (agency, disabled);
