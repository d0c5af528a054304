CREATE SCHEMA s2;
CREATE TABLE parent (id integer PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE t (
  id integer PRIMARY KEY,
  code varchar(10) NOT NULL,
  qty integer DEFAULT 0 CHECK (qty >= 0),
  price numeric(10,2),
  parent_id integer REFERENCES parent(id),
  created timestamp with time zone,
  UNIQUE (code)
);
CREATE INDEX t_price_idx ON t (price);
CREATE VIEW v AS SELECT id, code FROM t WHERE qty > 0;
CREATE SEQUENCE seq1;
CREATE TABLE s2.other (a bigint, b text);
CREATE ROLE regress_psql_reader NOLOGIN CONNECTION LIMIT 3;
CREATE ROLE regress_psql_admin CREATEDB CREATEROLE NOINHERIT;
GRANT regress_psql_reader TO regress_psql_admin;
GRANT SELECT ON t, v TO regress_psql_reader;
GRANT ALL ON seq1 TO regress_psql_admin WITH GRANT OPTION;
GRANT USAGE ON SCHEMA s2 TO regress_psql_reader;
