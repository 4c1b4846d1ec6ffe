"""The OpenAPI description of the HTTP API, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from bot.engine import MAX_MESSAGE

ERROR = {"$ref": "#/components/schemas/Error"}
# At least one character that is not white space, in both Python's and JSON Schema's sense.
VISIBLE = "[^\\s\\x1c-\\x1f\\x85\\ufeff]"


def _errors(*statuses: int) -> dict[str, Any]:
    reasons = {400: "Bad request", 404: "Unknown reply", 413: "Body too large", 415: "Not JSON",
               429: "Rate limited", 503: "Cannot be stored just now; try again later"}
    return {str(s): {"description": reasons[s], "content": {"application/json": {"schema": ERROR}}}
            for s in statuses}


def spec() -> dict[str, Any]:
    reply = {
        "type": "object",
        "required": ["session_id", "reply_id", "type", "answer", "confidence", "match", "sources", "suggestions"],
        "properties": {
            "session_id": {"type": "string"},
            "reply_id": {"type": "string"},
            "type": {"type": "string", "enum": ["answer", "clarify", "smalltalk", "fallback", "handoff"]},
            "answer": {"type": "string"},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "match": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["id", "question"], "properties": {
                "id": {"type": "string"}, "question": {"type": "string"}}}]},
            "sources": {"type": "array", "items": {"type": "string"}},
            "suggestions": {"type": "array", "items": {"type": "string"}},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "faqbot", "version": "1.0", "description": "A grounded FAQ assistant for clinics."},
        "paths": {
            "/healthz": {"get": {"responses": {"200": {"description": "Serving", "content": {"application/json": {
                "schema": {"type": "object", "required": ["status", "entries"], "properties": {
                    "status": {"type": "string"}, "entries": {"type": "integer"}}}}}}}}},
            "/api/chat": {"post": {
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["message"], "properties": {
                        "message": {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE,
                                    "pattern": VISIBLE, "description": "not only white space"},
                        "session_id": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,100}$"}}}}}},
                "responses": {"200": {"description": "The bot's reply", "content": {"application/json": {
                    "schema": reply}}}, **_errors(400, 413, 415, 429)}}},
            "/api/feedback": {"post": {
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["reply_id", "helpful"], "properties": {
                        "reply_id": {"type": "string", "minLength": 1}, "helpful": {"type": "boolean"},
                        "comment": {"type": "string", "maxLength": 2000}}}}}},
                "responses": {"204": {"description": "Stored"}, **_errors(400, 404, 413, 415, 429, 503)}}},
        },
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}}}}}}},
    }
