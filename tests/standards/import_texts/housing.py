"""Small units written for the tests in the housing layout: as pasted, and as a PDF gives it."""

HOUSING = """Housing National Occupational Standards

H3 26 Support customers to sustain their tenancy (SQA Unit Code F7E6 04)

Unit Summary

This unit is for those who help customers keep their homes.

Performance criteria

You must show that:

- 1 you agree with the customer the support they need
- 2 you review the support with the customer

Knowledge and understanding

You need to know and understand:

- (a) the terms of the customer's tenancy
- (b) how to refer customers to other services
- (c) the your organisation's procedures
"""

HOUSING_FROM_PDF = """Housing National Occupational Standards
H3 26 Support customers to sustain their tenancy (SQA Unit
Code F7E6 04)
Unit
Summary
This unit is for those who help customers keep their
homes.
Performance criteria
You must show that:
1 you agree with the customer the support they
need
2 you review the support with the customer
Knowledge and understanding
You need to know and understand:
(a) the terms of the customer's tenancy
(b) how to refer customers to other
services
(c) the your organisation's procedures
"""
