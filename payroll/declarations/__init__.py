"""Workers' declarations of special additional deductions and their review."""
