"""The capabilities agents call: plain functions over Redis and maths, wrapped as LangChain tools."""
