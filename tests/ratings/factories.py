from tests.payroll.factories import AnnualGradeFactory, StarRatingFactory

__all__ = ["AnnualGradeFactory", "StarRatingFactory"]
