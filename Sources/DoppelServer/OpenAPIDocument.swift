/// The OpenAPI 3.0 description of the service, served at `/openapi.json`.
public enum OpenAPIDocument {
  /// The document as JSON text.
  public static let json = #"""
    {
      "openapi": "3.0.3",
      "info": {
        "title": "Doppel service",
        "version": "1",
        "description": "Upload a table, train a synthesizer in the background, sample synthetic rows and read the evaluation report. Every route except /health needs 'Authorization: Bearer <token>' (create tokens with `doppel token create`); a token sees only its own datasets, jobs and models. Errors are JSON: {\"error\": {\"code\": \"...\", \"message\": \"...\"}}."
      },
      "servers": [{"url": "http://127.0.0.1:8080"}],
      "security": [{"bearer": []}],
      "paths": {
        "/health": {
          "get": {
            "summary": "Liveness check (no token needed)",
            "security": [],
            "responses": {"200": {"description": "The server is up", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}}}
          }
        },
        "/openapi.json": {
          "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.0 JSON"}, "401": {"$ref": "#/components/responses/Unauthorized"}}}
        },
        "/v1/datasets": {
          "post": {
            "summary": "Upload a CSV table (streamed to disk, at most the server's size limit)",
            "parameters": [{"name": "name", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200}}],
            "requestBody": {"required": true, "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {
              "201": {"description": "Stored; the detected metadata", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}},
              "400": {"$ref": "#/components/responses/Error"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/Error"},
              "422": {"$ref": "#/components/responses/Error"}
            }
          },
          "get": {
            "summary": "List the token's datasets",
            "responses": {"200": {"description": "Datasets, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Dataset"}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}}
          }
        },
        "/v1/datasets/{id}": {
          "get": {
            "summary": "A dataset's metadata",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"200": {"description": "The dataset", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/v1/jobs": {
          "post": {
            "summary": "Create a training job (runs in the background worker pool)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateJob"}}}},
            "responses": {
              "202": {"description": "Queued", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
              "400": {"$ref": "#/components/responses/Error"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/Error"}
            }
          },
          "get": {
            "summary": "List the token's jobs with their progress",
            "responses": {"200": {"description": "Jobs, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}}
          }
        },
        "/v1/jobs/{id}": {
          "get": {
            "summary": "A job and its progress",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"200": {"description": "The job", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/v1/jobs/{id}/cancel": {
          "post": {
            "summary": "Cancel a queued or running job",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"200": {"description": "Cancelled", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/v1/jobs/{id}/report": {
          "get": {
            "summary": "The evaluation report of a succeeded job",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"200": {"description": "One self-contained HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/v1/models": {
          "get": {
            "summary": "List the token's models",
            "responses": {"200": {"description": "Models, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Model"}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}}
          }
        },
        "/v1/models/{id}": {
          "get": {
            "summary": "A model",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"200": {"description": "The model", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Model"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}}
          },
          "delete": {
            "summary": "Delete a model and its file",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "responses": {"204": {"description": "Deleted"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "404": {"$ref": "#/components/responses/Error"}}
          }
        },
        "/v1/models/{id}/sample": {
          "post": {
            "summary": "Sample synthetic rows, streamed as CSV or JSON Lines",
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sample"}}}},
            "responses": {
              "200": {"description": "The rows; the same model, rows, seed and conditions give the same bytes", "content": {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}},
              "400": {"$ref": "#/components/responses/Error"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/Error"},
              "422": {"$ref": "#/components/responses/Error"}
            }
          }
        },
        "/v1/events/s3": {
          "post": {
            "summary": "Accept an S3 event notification (the JSON an upload sends to a Lambda function): each new CSV object is fetched, synthesized and written back with its report under the output prefix, exactly once per object version",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S3Event"}}}},
            "responses": {
              "202": {"description": "What happens to each record", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/S3EventResult"}}}}}}},
              "400": {"$ref": "#/components/responses/Error"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "503": {"$ref": "#/components/responses/Error"}
            }
          },
          "get": {
            "summary": "Objects processed from S3 events and their state",
            "responses": {"200": {"description": "Entries", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}, "state": {"type": "string", "enum": ["running", "done", "failed"]}, "detail": {"type": "string"}, "updatedAt": {"type": "string", "format": "date-time"}}}}}}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}}
          }
        }
      },
      "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}},
        "responses": {
          "Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "Unauthorized": {"description": "No token, or an unknown or revoked one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        },
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
          "Column": {"type": "object", "required": ["name", "kind"], "properties": {"name": {"type": "string"}, "kind": {"type": "string", "enum": ["numerical", "categorical", "boolean", "datetime", "id", "text", "pii"]}, "missingRate": {"type": "number"}, "distinctCount": {"type": "integer"}}},
          "Dataset": {"type": "object", "required": ["id", "name", "bytes", "rows", "columns", "createdAt"], "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "bytes": {"type": "integer"}, "rows": {"type": "integer"}, "columns": {"type": "array", "items": {"$ref": "#/components/schemas/Column"}}, "createdAt": {"type": "string", "format": "date-time"}}},
          "CreateJob": {"type": "object", "required": ["dataset"], "properties": {"dataset": {"type": "string"}, "synthesizer": {"type": "string", "description": "gaussian-copula, bayesian-network or privbayes; absent for the automatic choice by the table's size"}, "options": {"type": "object", "additionalProperties": {"type": "string"}}, "seed": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807}, "label": {"type": "string"}}},
          "Job": {"type": "object", "required": ["id", "dataset", "options", "seed", "state", "stage", "progress", "attempts", "createdAt", "updatedAt"], "properties": {"id": {"type": "string"}, "dataset": {"type": "string"}, "synthesizer": {"type": "string", "nullable": true}, "options": {"type": "object", "additionalProperties": {"type": "string"}}, "seed": {"type": "integer"}, "label": {"type": "string", "nullable": true}, "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]}, "stage": {"type": "string"}, "progress": {"type": "number", "minimum": 0, "maximum": 1}, "error": {"type": "string", "nullable": true}, "model": {"type": "string", "nullable": true}, "attempts": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"}}},
          "Model": {"type": "object", "required": ["id", "job", "dataset", "synthesizer", "options", "reason", "bytes", "createdAt"], "properties": {"id": {"type": "string"}, "job": {"type": "string"}, "dataset": {"type": "string"}, "synthesizer": {"type": "string"}, "options": {"type": "object", "additionalProperties": {"type": "string"}}, "reason": {"type": "string"}, "bytes": {"type": "integer"}, "createdAt": {"type": "string", "format": "date-time"}}},
          "S3Event": {"type": "object", "required": ["Records"], "properties": {"Records": {"type": "array", "items": {"type": "object", "required": ["s3"], "properties": {"eventName": {"type": "string"}, "s3": {"type": "object", "required": ["bucket", "object"], "properties": {"bucket": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}, "object": {"type": "object", "required": ["key"], "properties": {"key": {"type": "string"}, "eTag": {"type": "string"}}}}}}}}}},
          "S3EventResult": {"type": "object", "required": ["bucket", "key", "status"], "properties": {"bucket": {"type": "string"}, "key": {"type": "string"}, "status": {"type": "string", "enum": ["accepted", "duplicate", "ignored"]}, "output": {"type": "string"}}},
          "Sample": {"type": "object", "properties": {"rows": {"type": "integer", "minimum": 1, "default": 100}, "seed": {"type": "integer", "minimum": 0, "default": 0}, "format": {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}, "conditions": {"type": "object", "additionalProperties": {"type": "string"}, "description": "column = value; rows are drawn until this many meet every condition"}}}
        }
      }
    }
    """#
}
