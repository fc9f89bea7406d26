-- The app's own role and database, apart from Temporal's: the app's role owns only its database.
-- The postgres image runs this once, as the superuser, when it initialises an empty data directory; the values
-- come from the container's environment (APP_DB_* in docker-compose.yml). psql's variables quote them, so a
-- password holding quotes cannot break out of the statement.
\set ON_ERROR_STOP on
\getenv app_user APP_DB_USER
\getenv app_password APP_DB_PASSWORD
\getenv app_db APP_DB_NAME

CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
