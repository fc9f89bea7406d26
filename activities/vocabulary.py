"""Word lists that decide which words in prose are factual claims; see `activities.claims`."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    # A function rather than `"...".split()` on a literal, so ruff's SIM905 fix keeps these lists compact.
    return frozenset(text.split())


# Capitalised mid-sentence but not a claim: calendar words, first person, resume verbs after an unusual separator,
# currency codes.
ORDINARY = words(
    """january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday i i'm i've i'd i'll
    led built designed developed managed created implemented delivered launched improved reduced increased owned
    architected mentored partnered collaborated spearheaded streamlined automated migrated scaled optimized
    optimised established introduced coordinated analyzed analysed authored presented shipped maintained wrote
    achieved earned won usd eur gbp"""
)
# Technology names that are not English words: a claim in any case ("kubernetes" in a bullet).
TECH_TERMS = words(
    """kubernetes k8s docker terraform ansible jenkins kafka redis postgresql postgres mysql mariadb mongodb
    elasticsearch opensearch graphql typescript javascript python java kotlin scala golang haskell elixir erlang
    clojure fortran cobol matlab perl php laravel django fastapi pytorch tensorflow keras numpy scipy pandas
    scikit-learn pyspark hadoop airflow dbt bigquery redshift dynamodb cassandra rabbitmq grpc protobuf linux unix
    bash powershell github gitlab bitbucket jira confluence prometheus grafana datadog splunk nginx istio helm
    openshift angular vue svelte nextjs webpack redux jest pytest selenium cypress playwright figma salesforce
    tableau looker powerbi sql nosql sqlite hubspot kubectl aws gcp azure cloudformation pulumi kinesis sagemaker
    databricks presto trino flink celery opentelemetry openai langchain llm llms mlops devops devsecops sre gitops
    kubeflow mlflow okta auth0 oauth saml ldap soc2 hipaa gdpr scrum kanban bazel webassembly"""
)
# Technology names that are also English words: a claim only when capitalised ("Spark", not "spark an idea").
AMBIGUOUS_TECH = words(
    """go rust swift spark react express flask ruby rails dart chef puppet salt ember elm julia lambda snowflake
    oracle temporal ray vertex agile node hive excel unity"""
)
